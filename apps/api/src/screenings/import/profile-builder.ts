import { validateProfile, type CompanyProfile, type Lang } from '@matcher/catalog';
import type { RowError } from '@matcher/contracts';
import { choice, importMessages, type Place } from './import-messages';
import { resolveCell, splitCell, suggestCell, type ImportField } from './profile-fields';

/** Errors of a row that get the closest codes as suggestions. */
const SUGGESTED_ERRORS = 10;

/** Where the row is and the language its messages are written in. */
export interface RowContext {
  row?: number;
  lang?: Lang;
}

/** One cell of a row: the field its column fills, the header, and the raw value. */
export interface Cell {
  field: ImportField;
  header: string;
  value: unknown;
  /** The officer's fixes for this column: cell value → code (null drops the value). */
  fixes?: ReadonlyMap<string, string | null>;
}

export interface BuiltProfile {
  profile?: CompanyProfile;
  errors: RowError[];
  /** For listings even when the row failed. */
  name: string | null;
  uscc: string | null;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

function shown(value: unknown): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : typeof value === 'string' ? value : JSON.stringify(value);
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return undefined;
}

/** 1,234.5 → 1234.5; 5% → 0.05 (ratios only); 2015-03-01 → 2015 (founding year only). */
function asNumber(field: ImportField, value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (value instanceof Date) return field.key === 'metrics.foundedYear' ? value.getFullYear() : undefined;
  if (typeof value !== 'string') return undefined;
  let s = value.normalize('NFKC').trim().replace(/\s+/g, '');
  if (field.key === 'metrics.foundedYear') {
    const year = /^(\d{4})(?:[-/.年]|$)/.exec(s);
    return year ? Number(year[1]) : undefined;
  }
  let scale = 1;
  if (s.endsWith('%') && field.key === 'metrics.rdExpenseRatio') {
    s = s.slice(0, -1);
    scale = 0.01;
  }
  if (GROUPED.test(s)) s = s.replace(/,/g, '');
  if (!NUMBER.test(s)) return undefined;
  return Number((Number(s) * scale).toPrecision(12));
}

function setPath(profile: Record<string, unknown>, key: string, value: unknown): void {
  const dot = key.indexOf('.');
  if (dot < 0) {
    profile[key] = value;
    return;
  }
  const head = key.slice(0, dot);
  const inner = (profile[head] ??= {}) as Record<string, unknown>;
  inner[key.slice(dot + 1)] = value;
}

/**
 * Turns a row's cells into a company profile: codes or zh/en labels into codes, multi-valued cells split,
 * numbers read leniently; then the profile is validated as POST /match would. A cell that cannot be read
 * fails the row with its column named — never a silently dropped value.
 */
export function buildProfile(cells: Iterable<Cell>, context: RowContext = {}): BuiltProfile {
  const profile: Record<string, unknown> = {};
  const lists = new Map<string, Set<string>>();
  const errors: RowError[] = [];
  const columnOf = new Map<string, string>();
  const lang = context.lang ?? 'zh';
  const m = importMessages;

  for (const { field, header, value, fixes } of cells) {
    if (isBlank(value)) continue;
    columnOf.set(field.key, header);
    const at: Place = { lang, row: context.row, column: header };
    const fail = (message: string, extra: Partial<RowError> = {}): void => void errors.push({ path: field.key, message, column: header, ...extra });
    /** One cell value of a coded field: a code, or an error naming the candidates or the closest codes. */
    const code = (item: unknown): { field: string; code: string } | undefined => {
      const text = asText(item);
      if (text === undefined) {
        fail(m.notText(at, field, shown(item)));
        return undefined;
      }
      const fixed = fixes?.get(text);
      if (fixed === null) return undefined;
      const r = resolveCell(field.key, fixed ?? text);
      if (r.kind === 'code') return { field: r.field, code: r.code };
      if (r.kind === 'ambiguous') {
        const candidates = r.candidates.map((c) => choice(c, field.key));
        fail(m.ambiguousValue(at, field, text, candidates), { value: text, reason: 'ambiguous-value', candidates });
      } else {
        // Only the first errors of a row are kept (see MAX_ERRORS_PER_ROW): later ones need no suggestions.
        const candidates = errors.length < SUGGESTED_ERRORS ? suggestCell(field.key, fixed ?? text).map((c) => choice(c, field.key)) : [];
        fail(m.unknownValue(at, field, text, candidates), { value: text, reason: 'unknown-value', candidates });
      }
      return undefined;
    };
    switch (field.kind) {
      case 'text': {
        const text = asText(value);
        if (text === undefined) fail(m.notText(at, field, shown(value)));
        else if (text) setPath(profile, field.key, text);
        break;
      }
      case 'uscc': {
        const text = asText(value);
        if (text === undefined) fail(m.notText(at, field, shown(value)));
        else if (text) setPath(profile, field.key, text.normalize('NFKC').replace(/\s+/g, '').toUpperCase());
        break;
      }
      case 'code': {
        const items = Array.isArray(value) ? value : [value];
        if (items.length > 1) {
          fail(m.oneValue(at, field, shown(items)));
          break;
        }
        const text = asText(items[0]);
        if (text !== undefined && !fixes?.has(text) && resolveCell(field.key, text).kind === 'unknown' && splitCell(field.key, text).length > 1) {
          fail(m.oneValue(at, field, text));
          break;
        }
        const resolved = code(items[0]);
        if (resolved) setPath(profile, resolved.field, resolved.code);
        break;
      }
      case 'codes': {
        const parts = Array.isArray(value)
          ? value.flatMap((v) => (typeof v === 'string' ? splitCell(field.key, v) : [v]))
          : typeof value === 'string'
            ? splitCell(field.key, value)
            : [value];
        for (const part of parts) {
          const resolved = code(part);
          if (!resolved) continue;
          const set = lists.get(resolved.field) ?? new Set<string>();
          set.add(resolved.code);
          lists.set(resolved.field, set);
          if (resolved.field !== field.key) columnOf.set(resolved.field, header);
        }
        break;
      }
      case 'number':
      case 'integer': {
        const n = asNumber(field, value);
        if (n === undefined) fail(m.notNumber(at, field, shown(value)));
        else setPath(profile, field.key, n);
        break;
      }
    }
  }
  for (const [key, set] of lists) setPath(profile, key, [...set]);

  const name = typeof profile.name === 'string' ? profile.name.slice(0, 200) : null;
  const uscc = typeof profile.uscc === 'string' ? profile.uscc.slice(0, 40) : null;
  if (errors.length) return { errors, name, uscc };

  const location = profile.location as { district?: unknown } | undefined;
  if (location?.district === undefined) {
    return { errors: [{ path: 'location.district', message: m.districtMissing({ lang, row: context.row }) }], name, uscc };
  }
  const checked = validateProfile(profile, '');
  if (checked.profile) return { profile: checked.profile, errors: [], name, uscc };
  return {
    name,
    uscc,
    errors: checked.errors.map((e) => {
      const { path } = e;
      const key = [...columnOf.keys()].find((k) => path === k || path.startsWith(`${k}[`) || path.startsWith(`${k}.`));
      const column = key ? columnOf.get(key) : undefined;
      const message = m.invalid({ lang, row: context.row, column }, path, e.message, location?.district as string | undefined);
      return column ? { path, message, column } : { path, message };
    }),
  };
}
