import { createContext, useContext, type ReactNode } from 'react';
import type { CodeLabel, Lang, Taxonomy, TaxonomyField } from './api';

/** Labels, hints and the sector tree, all from GET /api/v1/taxonomy. */
export class Labels {
  private readonly fields = new Map<string, TaxonomyField>();
  /** fact key → code → label; extension codes are filed under the fact they extend (rules name them so). */
  private readonly codes = new Map<string, Map<string, CodeLabel>>();
  /** For extension codes: fact key → code → the profile field that stores it (additionalSectors…). */
  private readonly storedIn = new Map<string, string>();

  constructor(readonly taxonomy: Taxonomy) {
    for (const f of taxonomy.fields) {
      this.fields.set(f.key, f);
      const map = new Map<string, CodeLabel>();
      for (const c of f.codes ?? []) map.set(c.code, c);
      this.codes.set(f.key, map);
    }
    for (const f of taxonomy.fields) {
      const base = extendedField(f.key);
      if (!base) continue;
      const map = this.codes.get(base) ?? new Map<string, CodeLabel>();
      for (const c of f.codes ?? []) {
        map.set(c.code, c);
        this.storedIn.set(`${base}\u0000${c.code}`, f.key);
      }
      this.codes.set(base, map);
    }
  }

  field(key: string): TaxonomyField | undefined {
    return this.fields.get(key);
  }

  fieldLabel(key: string, lang: Lang): string {
    const f = this.fields.get(key);
    return f ? f[lang] : key;
  }

  hint(key: string, lang: Lang): string {
    const f = this.fields.get(key);
    return f ? (lang === 'zh' ? f.hintZh : f.hintEn) : '';
  }

  unit(key: string, lang: Lang): string {
    return this.fields.get(key)?.unit?.[lang] ?? '';
  }

  code(key: string, code: string): CodeLabel | undefined {
    return this.codes.get(key)?.get(code);
  }

  /** A code's own label ("检验检测认证"). */
  label(key: string, code: unknown, lang: Lang): string {
    const c = this.code(key, String(code));
    return c ? c[lang] : String(code);
  }

  /** A code's label with its parent ("专业服务 / 检验检测认证"). */
  pathLabel(key: string, code: unknown, lang: Lang): string {
    const c = this.code(key, String(code));
    if (!c) return String(code);
    return c.parent ? `${this.label(key, c.parent, lang)} / ${c[lang]}` : c[lang];
  }

  /** The profile field a code of fact `key` is stored in: the fact itself or its documented extension. */
  storageField(key: string, code: string): string {
    return this.storedIn.get(`${key}\u0000${code}`) ?? key;
  }

  /** Codes of a fact including those of its extension field. */
  codesOf(key: string): CodeLabel[] {
    return [...(this.codes.get(key)?.values() ?? [])];
  }

  statusLabel(code: string, lang: Lang): string {
    return this.taxonomy.statuses.find((s) => s.code === code)?.[lang] ?? code;
  }

  supportTypeLabel(code: string, lang: Lang): string {
    return this.taxonomy.supportTypes.find((s) => s.code === code)?.[lang] ?? code;
  }

  districtLabel(code: string, lang: Lang): string {
    return this.label('location.district', code, lang);
  }
}

/** additionalSectors → sectors, additionalRoles → roles, additionalTalent → talent…: the extension fields of profile v1. */
export function extendedField(key: string): string | undefined {
  const m = /^additional([A-Z])(\w*)$/.exec(key);
  return m ? m[1].toLowerCase() + m[2] : undefined;
}

const TaxonomyContext = createContext<Labels | null>(null);

export function TaxonomyProvider({ labels, children }: { labels: Labels; children: ReactNode }) {
  return <TaxonomyContext.Provider value={labels}>{children}</TaxonomyContext.Provider>;
}

export function useLabels(): Labels {
  const ctx = useContext(TaxonomyContext);
  if (!ctx) throw new Error('TaxonomyProvider missing');
  return ctx;
}
