import {
  headerField,
  normalizeHeaderName,
  normalizeName,
  PROFILE_FIELDS,
  resolveValue,
  suggestCodes,
  synonymsOf,
  yesNoHeader,
  type CodeRef,
  type YesNoColumn,
  type ProfileField,
  type ValueResolution,
} from '@matcher/catalog';

/** How a column's cells become profile values. */
export type FieldKind = 'text' | 'uscc' | 'code' | 'codes' | 'number' | 'integer' | 'yesno';

/** A profile field a column can fill: `name`, `uscc`, and every field of PROFILE_FIELDS. */
export interface ImportField {
  /** Dotted profile path: name, uscc, location.district, sectors, metrics.employees… */
  key: string;
  kind: FieldKind;
  zh: string;
  en: string;
  /** A yes/no column (是否高新技术企业): the code it names, and the field that code goes in (`key`). */
  yesNo?: YesNoColumn;
}

const INTEGER_METRICS = new Set(['metrics.employees', 'metrics.foundedYear', 'metrics.inventionPatents', 'metrics.pctApplications']);

export const IMPORT_FIELDS: readonly ImportField[] = [
  { key: 'name', kind: 'text', zh: '企业名称', en: 'Name' },
  { key: 'uscc', kind: 'uscc', zh: '统一社会信用代码', en: 'USCC' },
  ...PROFILE_FIELDS.map((f: ProfileField): ImportField => ({
    key: f.key,
    kind: f.kind === 'number' ? (INTEGER_METRICS.has(f.key) ? 'integer' : 'number') : f.kind,
    zh: f.zh,
    en: f.en,
  })),
];

const FIELD_BY_KEY = new Map(IMPORT_FIELDS.map((f) => [f.key, f]));

export function importField(key: string): ImportField {
  const f = FIELD_BY_KEY.get(key);
  if (!f) throw new Error(`unknown import field ${key}`);
  return f;
}

/** Lower-case, NFKC, letters and digits only (the catalog's normalisation, shared with the synonym table). */
export const normalize = normalizeName;

/** A header without a bracketed unit or note: "年营业收入（万元）" → "年营业收入". */
export const normalizeHeader = normalizeHeaderName;

/**
 * The field a column header names, or undefined: the catalog's header aliases (synonyms.json), any case and
 * spacing, with or without a unit in brackets; "企业名称 / Name" style bilingual headers match when their parts agree.
 */
export function fieldForHeader(header: string): ImportField | undefined {
  const yesNo = yesNoField(header);
  if (yesNo) return yesNo;
  const key = headerField(header);
  return key ? FIELD_BY_KEY.get(key) : undefined;
}

/** A column answered 是/否 under a header naming one code ("是否高新技术企业" → qualifications: high-tech-enterprise). */
export function yesNoField(header: string): ImportField | undefined {
  const c = yesNoHeader(header);
  if (!c) return undefined;
  const base = importField(c.field);
  return { ...base, kind: 'yesno', yesNo: c };
}

/** Where a resolved code goes: extension codes of sectors/roles live in additionalSectors/additionalRoles. */
export type ResolvedCode = CodeRef;

/** Separators of multi-valued cells: 、 ; , ，； and line breaks. */
export const SEPARATOR = /[、;,，；\n]/;

/** Labels holding a list separator ("Testing, inspection and certification"), protected before splitting. */
function separatorLabels(field: ProfileField): RegExp[] {
  const labels = (field.codes ?? []).flatMap((c) => [c.zh, c.en, ...synonymsOf(field.key, c.code)]);
  return labels
    .filter((l) => SEPARATOR.test(l))
    .map(
      (l) =>
        new RegExp(
          l
            .split(SEPARATOR)
            .map((p) => p.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join(`\\s*${SEPARATOR.source}\\s*`),
          'giu',
        ),
    );
}

const SEPARATOR_LABELS = new Map<string, RegExp[]>(PROFILE_FIELDS.filter((f) => f.codes?.length).map((f) => [f.key, separatorLabels(f)]));

/**
 * Bounded memo of cell text → result, per field: a file repeats the same labels on most rows, so each
 * distinct text is normalised and looked up once (cleared when it grows past its bound).
 */
class Memo<T> {
  private readonly maps = new Map<string, Map<string, T>>();

  constructor(private readonly bound: number) {}

  get(field: string, text: string, compute: () => T): T {
    let map = this.maps.get(field);
    if (!map) this.maps.set(field, (map = new Map()));
    let value = map.get(text);
    if (value === undefined && !map.has(text)) {
      value = compute();
      if (map.size >= this.bound) map.clear();
      map.set(text, value);
    }
    return value as T;
  }
}

const RESOLVED = new Memo<ValueResolution>(20_000);
const SPLIT = new Memo<string[]>(20_000);

/** A cell of a coded field read through the synonym table: one code, candidates (ambiguous), or unknown with suggestions. */
export function resolveCell(fieldKey: string, value: string): ValueResolution {
  return RESOLVED.get(fieldKey, value, () => resolveValue(fieldKey, value, { suggest: false }));
}

const SUGGESTED = new Memo<CodeRef[]>(5_000);

/** The closest codes to an unknown cell value (memoised: a file repeats its typos). */
export function suggestCell(fieldKey: string, value: string): CodeRef[] {
  return SUGGESTED.get(fieldKey, value, () => suggestCodes(fieldKey, value));
}

/** A code, label or everyday name of a coded field → its code (and the field it belongs in); undefined unless exactly one. */
export function resolveCode(fieldKey: string, value: string): ResolvedCode | undefined {
  const r = resolveCell(fieldKey, value);
  return r.kind === 'code' ? { field: r.field, code: r.code } : undefined;
}

/**
 * A multi-valued cell split on its separators, keeping whole any label that itself holds one
 * ("Cut costs, raise efficiency").
 */
export function splitCell(fieldKey: string, cell: string): string[] {
  return SPLIT.get(fieldKey, cell, () => split(fieldKey, cell));
}

const SPLITTER = new RegExp(SEPARATOR.source, 'u');

function split(fieldKey: string, cell: string): string[] {
  const kept: string[] = [];
  let text = cell;
  for (const pattern of SEPARATOR_LABELS.get(fieldKey) ?? []) {
    text = text.replace(pattern, (m) => `\u0001${kept.push(m) - 1}\u0001`);
  }
  return (
    text
      .split(SPLITTER)
      // eslint-disable-next-line no-control-regex -- \u0001 is the placeholder set above; it cannot occur in the text
      .map((part) => part.replace(/\u0001(\d+)\u0001/g, (_, i: string) => kept[Number(i)]).trim())
      .filter((part) => part.length > 0)
  );
}
