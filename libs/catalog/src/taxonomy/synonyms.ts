import synonymData from '../data/synonyms.json';
import { EXTENSION_CODES } from '../profile/profile-extensions';
import { labelOf, PROFILE_FIELDS } from './taxonomy';
import type { ProfileField } from './taxonomy.types';

/**
 * Everyday names of profile codes and import columns, from one table (data/synonyms.json), shared by the
 * import, the catalog's text search, the taxonomy the web form searches, and the API. A name that could mean
 * several codes is never resolved to one: the caller gets every candidate and asks.
 */

interface SynonymTable {
  headers: Record<string, string[]>;
  values: Record<string, Record<string, string[]>>;
  ambiguous: Record<string, Record<string, string[]>>;
  yesNoHeaders?: (YesNoColumn & { headers: string[] })[];
}

/** A column answered yes or no that names one code ("是否高新技术企业"): yes sets `yes`, no sets `no` when given. */
export interface YesNoColumn {
  field: string;
  yes?: string;
  no?: string;
}

const TABLE = synonymData as unknown as SynonymTable;

/** A code and the profile field it is stored in (extension codes live in their own field: additionalSectors, additionalTalent…). */
export interface CodeRef {
  field: string;
  code: string;
}

export type ValueResolution = ({ kind: 'code' } & CodeRef) | { kind: 'ambiguous'; candidates: CodeRef[] } | { kind: 'unknown'; suggestions: CodeRef[] };

/**
 * Lower-case, NFKC (full-width letters, digits and brackets become ASCII), and only letters and digits kept:
 * "Jing'an" → "jingan", "PCT 申请数" → "pct申请数".
 */
export function normalizeName(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** A header without a bracketed unit or note: "年营业收入（万元）" → "年营业收入". */
export function normalizeHeaderName(text: string): string {
  const bare = text.normalize('NFKC').replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】/g, '');
  return normalizeName(bare) || normalizeName(text);
}

/** Edit distance, for "closest label" suggestions (strings here are short). */
function distance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length];
}

/** How alike two normalised names are, 0..1: edit distance, with containment counted as close. */
function similarity(a: string, b: string, minContained = 2): number {
  if (!a || !b) return 0;
  const la = [...a].length;
  const lb = [...b].length;
  const contained = Math.min(la, lb) >= minContained && (a.includes(b) || b.includes(a));
  // Edit distance is at least the length difference: skip names that cannot reach the floor.
  if (!contained && 1 - Math.abs(la - lb) / Math.max(la, lb) < SUGGESTION_FLOOR) return 0;
  let s = 1 - distance(a, b) / Math.max(la, lb);
  if (Math.min(la, lb) >= minContained && (a.includes(b) || b.includes(a))) s = Math.max(s, 0.6 + 0.3 * (Math.min(la, lb) / Math.max(la, lb)));
  return s;
}

const SUGGESTION_FLOOR = 0.5;

/** Names of one field: exact names first (codes, labels), then synonyms, then names derived from labels. */
class NameIndex {
  private readonly levels: Map<string, CodeRef[]>[] = [new Map(), new Map(), new Map()];
  private readonly ambiguous = new Map<string, CodeRef[]>();
  /** Every name with its code, for suggestions and search. */
  readonly names: { name: string; ref: CodeRef }[] = [];

  add(level: 0 | 1 | 2, name: string, ref: CodeRef): void {
    const n = normalizeName(name);
    if (!n) return;
    const map = this.levels[level];
    const list = map.get(n) ?? [];
    if (!list.some((r) => r.code === ref.code && r.field === ref.field)) list.push(ref);
    map.set(n, list);
    if (!this.names.some((x) => x.name === n && x.ref.code === ref.code)) this.names.push({ name: n, ref });
  }

  addAmbiguous(name: string, refs: CodeRef[]): void {
    const n = normalizeName(name);
    this.ambiguous.set(n, refs);
  }

  /** A name's codes: exactly one resolves it, several are candidates. */
  lookUp(n: string): CodeRef[] | undefined {
    const exact = this.levels[0].get(n);
    if (exact) return exact;
    const stated = this.ambiguous.get(n);
    if (stated) return stated;
    return this.levels[1].get(n) ?? this.levels[2].get(n);
  }

  suggest(n: string, max = 3): CodeRef[] {
    const best = new Map<string, { ref: CodeRef; score: number }>();
    for (const { name, ref } of this.names) {
      const score = similarity(n, name);
      if (score < SUGGESTION_FLOOR) continue;
      const key = `${ref.field}\u0000${ref.code}`;
      if ((best.get(key)?.score ?? -1) < score) best.set(key, { ref, score });
    }
    return [...best.values()]
      .sort((a, b) => b.score - a.score)
      .slice(0, max)
      .map((x) => x.ref);
  }
}

function codeListOf(field: ProfileField): { code: string; zh: string; en: string; parent?: string; stored: string }[] {
  const own = (field.codes ?? []).map((c) => ({ ...c, stored: field.key }));
  // Extension codes are accepted in the v1 column they extend and stored in their own field (additionalSectors, additionalTalent…).
  return [
    ...own,
    ...EXTENSION_CODES.filter((c) => c.extends === field.key).map((c) => ({ code: c.code, zh: c.zh, en: c.en, parent: c.parent, stored: c.field })),
  ];
}

/** The synonym list of a field's code: extension fields share the table of the field they extend. */
function tableSynonyms(fieldKey: string, code: string): string[] {
  const ext = EXTENSION_CODES.find((c) => c.field === fieldKey && c.code === code);
  return TABLE.values[ext ? ext.extends : fieldKey]?.[code] ?? [];
}

function buildIndex(field: ProfileField): NameIndex {
  const index = new NameIndex();
  for (const c of codeListOf(field)) {
    const ref = { field: c.stored, code: c.code };
    index.add(0, c.code, ref);
    index.add(0, c.zh, ref);
    index.add(0, c.en, ref);
    if (c.parent) {
      index.add(0, `${labelOf(field.key, c.parent, 'zh')}/${c.zh}`, ref);
      index.add(0, `${labelOf(field.key, c.parent, 'en')}/${c.en}`, ref);
    }
    for (const s of tableSynonyms(field.key, c.code)) index.add(1, s, ref);
    // Derived: the last code segment ("software"), label parts ("生命健康/生物医药" → 生物医药), the label without its bracket.
    if (c.code.includes('/')) index.add(2, c.code.split('/').pop()!, ref);
    for (const label of [c.zh, c.en]) {
      const parts = label.split(/\s*\/\s*/);
      if (parts.length > 1) for (const p of parts) index.add(2, p, ref);
      const bare = label.normalize('NFKC').replace(/\([^)]*\)/g, '');
      if (bare !== label.normalize('NFKC')) index.add(2, bare, ref);
    }
  }
  const stored = new Map(codeListOf(field).map((c) => [c.code, c.stored]));
  for (const [name, codes] of Object.entries(TABLE.ambiguous[field.key] ?? {}))
    index.addAmbiguous(
      name,
      codes.map((code) => ({ field: stored.get(code) ?? field.key, code })),
    );
  return index;
}

const INDEXES = new Map<string, NameIndex>(PROFILE_FIELDS.filter((f) => f.codes?.length).map((f) => [f.key, buildIndex(f)]));

/** Shanghai's districts by name, to read a district out of an address ("上海市静安区江场路…"). */
const DISTRICT_IN_TEXT = /(徐汇|静安|青浦|黄浦|长宁|普陀|虹口|杨浦|闵行|宝山|嘉定|浦东新|金山|松江|奉贤|崇明)区/gu;

/** A cell of a coded field: one code, several candidates (never guessed), or unknown with the closest names' codes. */
export function resolveValue(fieldKey: string, value: string, options: { suggest?: boolean } = {}): ValueResolution {
  const index = INDEXES.get(fieldKey);
  if (!index) return { kind: 'unknown', suggestions: [] };
  const n = normalizeName(value);
  const tries = [n];
  if (n.endsWith('企业') && n.length > 2) tries.push(n.slice(0, -2));
  if (fieldKey === 'location.district') {
    for (const prefix of ['上海市', '上海']) if (n.startsWith(prefix) && n.length > prefix.length) tries.push(n.slice(prefix.length));
  }
  for (const t of tries) {
    const refs = index.lookUp(t);
    if (refs?.length === 1) return { kind: 'code', ...refs[0] };
    if (refs && refs.length > 1) return { kind: 'ambiguous', candidates: refs };
  }
  if (fieldKey === 'location.district') {
    const named = new Set([...value.normalize('NFKC').matchAll(DISTRICT_IN_TEXT)].map((m) => m[0]));
    if (named.size === 1) {
      const refs = index.lookUp(normalizeName([...named][0]));
      if (refs?.length === 1) return { kind: 'code', ...refs[0] };
    }
  }
  return { kind: 'unknown', suggestions: options.suggest === false ? [] : suggestCodes(fieldKey, value) };
}

/**
 * The codes whose names are closest to a value (for an unknown value). It compares against every name of the
 * field: worth it for a word, not for a paragraph pasted in a cell, nor for the thousandth bad value of a row.
 */
export function suggestCodes(fieldKey: string, value: string): CodeRef[] {
  const n = normalizeName(value);
  const index = INDEXES.get(fieldKey);
  return index && n && n.length <= 40 ? index.suggest(n) : [];
}

/** The everyday names the table gives a code (its labels are not repeated). */
export function synonymsOf(fieldKey: string, code: string): string[] {
  return tableSynonyms(fieldKey, code);
}

/** Names that mean several codes of a field, with the codes. */
export function ambiguousNames(fieldKey: string): Record<string, string[]> {
  return TABLE.ambiguous[fieldKey] ?? {};
}

/**
 * Codes a free-text query names, for the catalog's text search: a label or synonym equal to the query, or
 * (from two characters on) containing it. "大模型" → sectors ai/models-algorithms.
 */
export function codesNamedBy(query: string): { fieldKey: string; code: string }[] {
  const q = normalizeName(query);
  if (!q) return [];
  const out = new Map<string, { fieldKey: string; code: string }>();
  for (const [fieldKey, index] of INDEXES) {
    if (fieldKey.startsWith('additional')) continue; // reached through sectors/roles
    for (const { name, ref } of index.names)
      if (name === q || ([...q].length >= 2 && name.includes(q))) out.set(`${fieldKey}\u0000${ref.code}`, { fieldKey, code: ref.code });
  }
  return [...out.values()];
}

/** Every field a column may fill: the table's (name, uscc, profile fields) and any profile field it does not list yet. */
const HEADER_KEYS: string[] = [...new Set([...Object.keys(TABLE.headers), ...PROFILE_FIELDS.map((f) => f.key as string)])];

/** Field key → the names a column header may use: key, its last segment, labels, the table's aliases. */
const HEADER_INDEX = (() => {
  const byName = new Map<string, Set<string>>();
  const all: { name: string; key: string }[] = [];
  const add = (alias: string, key: string): void => {
    for (const n of new Set([normalizeHeaderName(alias), normalizeName(alias)])) {
      if (!n) continue;
      const set = byName.get(n) ?? new Set<string>();
      set.add(key);
      byName.set(n, set);
      all.push({ name: n, key });
    }
  };
  const labels = new Map(PROFILE_FIELDS.map((f) => [f.key as string, [f.zh, f.en]]));
  for (const key of HEADER_KEYS) {
    add(key, key);
    add(key.split('.').pop()!, key);
    for (const l of labels.get(key) ?? []) add(l, key);
    for (const a of TABLE.headers[key] ?? []) add(a, key);
  }
  return { byName, all };
})();

/** Field keys a header may name, in the table's order (profile fields plus name and uscc). */
export const HEADER_FIELD_KEYS: readonly string[] = HEADER_KEYS;

/**
 * The field a column header names, or undefined (unknown, or a name two fields share). Any case and spacing,
 * with or without a unit in brackets; "企业名称 / Name" style bilingual headers match when their parts agree.
 */
export function headerField(header: string): string | undefined {
  const one = (n: string): string | undefined => {
    const set = HEADER_INDEX.byName.get(n);
    return set?.size === 1 ? [...set][0] : undefined;
  };
  const whole = one(normalizeHeaderName(header)) ?? one(normalizeName(header));
  if (whole) return whole;
  const parts = header
    .split(/[/|]/)
    .map((p) => one(normalizeHeaderName(p)))
    .filter((k): k is string => k !== undefined);
  if (parts.length && parts.every((k) => k === parts[0])) return parts[0];
  return undefined;
}

const YES_NO_INDEX = new Map<string, YesNoColumn>();
for (const c of TABLE.yesNoHeaders ?? []) for (const h of c.headers) for (const n of [normalizeHeaderName(h), normalizeName(h)]) if (n) YES_NO_INDEX.set(n, c);

/**
 * The code a yes/no column names: the table's header forms, else "是否X" / "有无X" where X is one
 * qualification ("是否瞪羚企业" → gazelle). Undefined for any other header.
 */
export function yesNoHeader(header: string): YesNoColumn | undefined {
  const listed = YES_NO_INDEX.get(normalizeHeaderName(header)) ?? YES_NO_INDEX.get(normalizeName(header));
  if (listed) return { field: listed.field, ...(listed.yes ? { yes: listed.yes } : {}), ...(listed.no ? { no: listed.no } : {}) };
  const m = /^\s*(?:是否|是不是|有无|有没有)(?:为|属于|是)?(.+?)\s*$/u.exec(header.replace(/[（(][^）)]*[）)]\s*$/u, ''));
  if (!m) return undefined;
  const r = resolveValue('qualifications', m[1]);
  return r.kind === 'code' && r.field === 'qualifications' ? { field: 'qualifications', yes: r.code } : undefined;
}

const YES = /^(?:是|有|对|y|yes|true|√|✓|✔|1|是的)$/iu;
const NO = /^(?:否|无|没有|不是|n|no|false|×|✗|✘|x|0)$/iu;

/** A yes/no cell: true, false, or undefined when it says neither. */
export function yesNoValue(cell: string): boolean | undefined {
  const t = cell.normalize('NFKC').trim();
  return YES.test(t) ? true : NO.test(t) ? false : undefined;
}

/** The fields a header most likely means, closest first (for an unrecognised column). */
export function suggestHeaderFields(header: string, max = 3): string[] {
  const n = normalizeHeaderName(header);
  if (!n) return [];
  const best = new Map<string, number>();
  for (const { name, key } of HEADER_INDEX.all) {
    // Headers name their field with a short word (区, 行业): containing one is a hint.
    const s = similarity(n, name, 1);
    if (s >= SUGGESTION_FLOOR && (best.get(key) ?? -1) < s) best.set(key, s);
  }
  return [...best.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, max)
    .map(([k]) => k);
}

/** Header aliases of a field (for the template's code sheet and the web app's mapping step). */
export function headerAliases(key: string): string[] {
  return TABLE.headers[key] ?? [];
}
