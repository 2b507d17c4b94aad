import { EXTENSION_CODES, labelOf, PROFILE_FIELDS, type CodeLabel, type ProfileField } from '@matcher/catalog';

/** How a column's cells become profile values. */
export type FieldKind = 'text' | 'uscc' | 'code' | 'codes' | 'number' | 'integer';

/** A profile field a column can fill: `name`, `uscc`, and every field of PROFILE_FIELDS. */
export interface ImportField {
  /** Dotted profile path: name, uscc, location.district, sectors, metrics.employees… */
  key: string;
  kind: FieldKind;
  zh: string;
  en: string;
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

/**
 * Lower-case, NFKC (full-width letters, digits and brackets become ASCII), and only letters and digits kept:
 * "Jing'an" → "jingan", "PCT 申请数" → "pct申请数", "life-health/innovative-drugs" → "lifehealthinnovativedrugs".
 */
export function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** A header without a bracketed unit or note: "年营业收入（万元）" → "年营业收入". */
export function normalizeHeader(text: string): string {
  const bare = text.normalize('NFKC').replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】/g, '');
  return normalize(bare) || normalize(text);
}

/** Header names recognised for each field besides its key and its zh/en labels. */
const HEADER_ALIASES: Record<string, string[]> = {
  name: ['企业名称', '名称', '公司名称', '企业', '公司', '单位名称', 'company', 'company name', 'enterprise'],
  uscc: ['统一社会信用代码', '信用代码', '社会信用代码', 'credit code', 'unified social credit code'],
  'location.district': ['所在区', '注册所在区', '注册区', '所属区', '区', 'district'],
  'location.area': ['功能区', '所在功能区', 'area'],
  sectors: ['行业', '所属行业', '行业领域', 'sector'],
  headquarters: ['总部类型', '总部'],
  headquartersRecognition: ['总部认定', '总部认定级别'],
  qualifications: ['资质', '资质认定', 'qualification'],
  roles: ['主体类型', '主体', 'role'],
  ownership: ['所有制', '所有制性质', '企业性质'],
  size: ['企业规模', '规模'],
  listing: ['上市情况', '上市'],
  plans: ['发展计划', '计划', 'plan'],
  talent: ['人才', '人才类型'],
  'metrics.employees': ['员工人数', '员工数', '职工人数', '参保人数'],
  'metrics.annualRevenueWan': ['年营业收入', '营业收入', '营收', 'revenue'],
  'metrics.annualTaxWan': ['年纳税额', '纳税额', '纳税', 'tax'],
  'metrics.rdExpenseRatio': ['研发费用占比', '研发投入占比', 'R&D ratio'],
  'metrics.foundedYear': ['成立年份', '成立时间', '成立日期', 'founded'],
  'metrics.inventionPatents': ['发明专利数', '发明专利', 'patents'],
  'metrics.pctApplications': ['PCT 申请数', 'PCT申请', 'PCT'],
};

function buildHeaderIndex(): Map<string, string> {
  const index = new Map<string, string>();
  const ambiguous = new Set<string>();
  const add = (alias: string, key: string): void => {
    for (const n of new Set([normalizeHeader(alias), normalize(alias)])) {
      if (!n || ambiguous.has(n)) continue;
      const seen = index.get(n);
      if (seen && seen !== key) {
        index.delete(n);
        ambiguous.add(n);
      } else index.set(n, key);
    }
  };
  for (const f of IMPORT_FIELDS) {
    add(f.key, f.key);
    add(f.zh, f.key);
    add(f.en, f.key);
    const tail = f.key.split('.').pop()!;
    add(tail, f.key);
    for (const a of HEADER_ALIASES[f.key] ?? []) add(a, f.key);
  }
  return index;
}

const HEADER_INDEX = buildHeaderIndex();

/**
 * The field a column header names, or undefined. Chinese or English, any case and spacing, with or without a
 * unit in brackets; "企业名称 / Name" style bilingual headers match when their parts agree.
 */
export function fieldForHeader(header: string): ImportField | undefined {
  const whole = HEADER_INDEX.get(normalizeHeader(header)) ?? HEADER_INDEX.get(normalize(header));
  if (whole) return FIELD_BY_KEY.get(whole);
  const parts = header
    .split(/[/|]/)
    .map((p) => HEADER_INDEX.get(normalizeHeader(p)))
    .filter((k): k is string => k !== undefined);
  if (parts.length && parts.every((k) => k === parts[0])) return FIELD_BY_KEY.get(parts[0]);
  return undefined;
}

/** Where a resolved code goes: extension codes live in their own field (additionalSectors, additionalTalent…). */
export interface ResolvedCode {
  field: string;
  code: string;
}

/** Shanghai's other districts: a prospect there is "other-shanghai". */
const OTHER_SHANGHAI = [
  '黄浦',
  '长宁',
  '普陀',
  '虹口',
  '杨浦',
  '闵行',
  '宝山',
  '嘉定',
  '浦东',
  '浦东新',
  '金山',
  '松江',
  '奉贤',
  '崇明',
  'huangpu',
  'changning',
  'putuo',
  'hongkou',
  'yangpu',
  'minhang',
  'baoshan',
  'jiading',
  'pudong',
  'jinshan',
  'songjiang',
  'fengxian',
  'chongming',
];

class CodeIndex {
  private readonly byAlias = new Map<string, ResolvedCode>();
  private readonly ambiguous = new Set<string>();
  /** Labels holding a list separator ("Testing, inspection and certification"), protected before splitting. */
  readonly separatorLabels: { pattern: RegExp; code: ResolvedCode }[] = [];

  add(alias: string, code: ResolvedCode): void {
    const n = normalize(alias);
    if (!n || this.ambiguous.has(n)) return;
    const seen = this.byAlias.get(n);
    if (seen && (seen.code !== code.code || seen.field !== code.field)) {
      this.byAlias.delete(n);
      this.ambiguous.add(n);
      return;
    }
    this.byAlias.set(n, code);
    if (SEPARATOR.test(alias)) {
      const source = alias
        .split(SEPARATOR)
        .map((p) => p.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join(`\\s*${SEPARATOR.source}\\s*`);
      this.separatorLabels.push({ pattern: new RegExp(source, 'giu'), code });
    }
  }

  get(value: string): ResolvedCode | undefined {
    const n = normalize(value);
    return this.byAlias.get(n) ?? (n.endsWith('企业') ? this.byAlias.get(n.slice(0, -2)) : undefined);
  }
}

/** Separators of multi-valued cells: 、 ; , ，； and line breaks. */
export const SEPARATOR = /[、;,，；\n]/;

function buildCodeIndex(field: ProfileField): CodeIndex {
  const index = new CodeIndex();
  const own = (c: CodeLabel): ResolvedCode => ({ field: field.key, code: c.code });
  for (const c of field.codes ?? []) {
    const target = own(c);
    index.add(c.code, target);
    index.add(c.zh, target);
    index.add(c.en, target);
    // Sectors also by their path ("数字经济/信息服务/软件开发") and their last code segment ("software").
    if (c.parent) {
      index.add(labelOf(field.key, c.code, 'zh'), target);
      index.add(labelOf(field.key, c.code, 'en'), target);
    }
    if (c.code.includes('/')) index.add(c.code.split('/').pop()!, target);
    const bare = c.zh.normalize('NFKC').replace(/\([^)]*\)/g, '');
    if (bare !== c.zh.normalize('NFKC')) index.add(bare, target);
  }
  // Extension codes are accepted in the v1 column they extend and land in their own field.
  {
    for (const c of EXTENSION_CODES.filter((x) => x.extends === field.key)) {
      const target = { field: c.field, code: c.code };
      for (const alias of [c.code, c.zh, c.en, c.code.split('/').pop()!]) index.add(alias, target);
    }
  }
  if (field.key === 'location.district') {
    for (const c of field.codes ?? []) if (c.zh.endsWith('区')) index.add(c.zh.slice(0, -1), own(c));
    for (const d of OTHER_SHANGHAI) {
      index.add(d, { field: field.key, code: 'other-shanghai' });
      index.add(`${d}区`, { field: field.key, code: 'other-shanghai' });
    }
    for (const a of ['上海其他区', '本市其他区', 'other shanghai']) index.add(a, { field: field.key, code: 'other-shanghai' });
    for (const a of ['外省市', '市外', '上海以外', '外地', 'outside shanghai']) index.add(a, { field: field.key, code: 'outside-shanghai' });
  }
  return index;
}

const CODE_INDEXES = new Map<string, CodeIndex>(PROFILE_FIELDS.filter((f) => f.codes?.length).map((f) => [f.key, buildCodeIndex(f)]));

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

const RESOLVED = new Memo<ResolvedCode | undefined>(20_000);
const SPLIT = new Memo<string[]>(20_000);

/** A code or a zh/en label of a coded field → its code (and the field it belongs in), or undefined. */
export function resolveCode(fieldKey: string, value: string): ResolvedCode | undefined {
  return RESOLVED.get(fieldKey, value, () => lookUp(fieldKey, value));
}

function lookUp(fieldKey: string, value: string): ResolvedCode | undefined {
  const index = CODE_INDEXES.get(fieldKey);
  if (!index) return undefined;
  const found = index.get(value);
  if (found || fieldKey !== 'location.district') return found;
  const n = value.normalize('NFKC').trim();
  for (const prefix of ['上海市', '上海']) if (n.startsWith(prefix) && n.length > prefix.length) return index.get(n.slice(prefix.length));
  return undefined;
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
  const index = CODE_INDEXES.get(fieldKey);
  const kept: string[] = [];
  let text = cell;
  for (const { pattern } of index?.separatorLabels ?? []) {
    text = text.replace(pattern, (m) => `\u0001${kept.push(m) - 1}\u0001`);
  }
  return text
    .split(SPLITTER)
    .map((part) => part.replace(/\u0001(\d+)\u0001/g, (_, i: string) => kept[Number(i)]).trim())
    .filter((part) => part.length > 0);
}

/** A few of a field's allowed values, for error messages. */
export function exampleValues(fieldKey: string): string {
  const field = PROFILE_FIELDS.find((f) => f.key === fieldKey);
  const codes = field?.codes ?? [];
  const shown = codes.slice(0, 3).map((c) => `${c.code} / ${c.zh}`);
  return `${shown.join(', ')}${codes.length > 3 ? ', …' : ''} (GET /api/v1/taxonomy lists all)`;
}
