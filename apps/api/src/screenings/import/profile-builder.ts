import { isValidUscc, validateProfile, yesNoValue, type CompanyProfile, type Lang } from '@matcher/catalog';
import type { RowError } from '@matcher/contracts';
import { choice, importMessages, type Place } from './import-messages';
import { importField, resolveCell, splitCell, suggestCell, type ImportField } from './profile-fields';

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
  /**
   * What was read softly or left unknown in a row that is screened all the same ("约150" read as 150, a value
   * no code matches, a credit code with a wrong check character): the officer checks these.
   */
  warnings?: RowError[];
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

const SOFT =
  /^(?:约|大约|大概|近|将近|接近|超过|逾|约计|около|about|approx\.?|~|≈)?([\d.,]+)(万|千)?(?:人|名|个|家|件|项|万元|元)?(?:左右|上下|以上|余|多|\+)?$/iu;

/**
 * A number said softly ("约150", "150人左右", "1.2万"): the number it clearly says, or undefined. A 万 in a
 * column counted in 万元 is left alone (1.2万 万元 is more likely a slip than 1.2 亿).
 */
function softNumber(field: ImportField, value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = SOFT.exec(value.normalize('NFKC').trim().replace(/\s+/g, ''));
  if (!m) return undefined;
  const digits = m[1].replace(/,/g, '');
  if (!NUMBER.test(digits)) return undefined;
  if (m[2] && field.key.endsWith('Wan')) return undefined;
  const scale = m[2] === '万' ? 10_000 : m[2] === '千' ? 1_000 : 1;
  const n = Number((Number(digits) * scale).toPrecision(12));
  return field.kind === 'integer' && !Number.isInteger(n) ? undefined : n;
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
  const warnings: RowError[] = [];
  const columnOf = new Map<string, string>();
  const lang = context.lang ?? 'zh';
  const m = importMessages;

  for (const { field, header, value, fixes } of cells) {
    if (isBlank(value)) continue;
    columnOf.set(field.key, header);
    const at: Place = { lang, row: context.row, column: header };
    // Only the district decides whether a prospect can be screened: any other value that cannot be read is
    // left unknown with a warning, and the row is screened without it.
    const fail = (message: string, extra: Partial<RowError> = {}): void =>
      void (field.key === 'location.district' ? errors : warnings).push({ path: field.key, message, column: header, ...extra });

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
        const candidates = errors.length + warnings.length < SUGGESTED_ERRORS ? suggestCell(field.key, fixed ?? text).map((c) => choice(c, field.key)) : [];
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
        if (n !== undefined) {
          setPath(profile, field.key, n);
          break;
        }
        const soft = softNumber(field, value);
        if (soft !== undefined) {
          setPath(profile, field.key, soft);
          warnings.push({ path: field.key, column: header, value: shown(value), message: m.softNumber(at, shown(value), soft) });
        } else fail(m.leftUnknown(at, m.notNumber({ lang }, field, shown(value))), { value: shown(value) });
        break;
      }
      case 'yesno': {
        const text = asText(value);
        const yes = text === undefined ? undefined : yesNoValue(text);
        const c = field.yesNo!;
        if (yes === undefined) fail(m.leftUnknown(at, m.notYesNo(at, shown(value))), { value: shown(value) });
        else if (importField(field.key).kind === 'codes') {
          const set = lists.get(field.key) ?? new Set<string>();
          if (yes && c.yes) set.add(c.yes);
          if (!yes && c.no) set.add(c.no);
          lists.set(field.key, set);
        } else if (yes ? c.yes : c.no) setPath(profile, field.key, yes ? c.yes : c.no);
        else if (yes) warnings.push({ path: field.key, column: header, value: shown(value), message: m.listedBoardUnknown(at) });
        break;
      }
    }
  }
  for (const [key, set] of lists) if (set.size) setPath(profile, key, [...set]);

  const name = typeof profile.name === 'string' ? profile.name.slice(0, 200) : null;
  const uscc = typeof profile.uscc === 'string' ? profile.uscc.slice(0, 40) : null;
  const withWarnings = (b: BuiltProfile): BuiltProfile => (warnings.length ? { ...b, warnings } : b);
  if (errors.length) return withWarnings({ errors, name, uscc });

  const location = profile.location as { district?: unknown } | undefined;
  if (location?.district === undefined) {
    return withWarnings({ errors: [{ path: 'location.district', message: m.districtMissing({ lang, row: context.row }) }], name, uscc });
  }
  // A credit code decides no measure: one with a wrong check character is kept on the row and flagged.
  if (uscc !== null && /^[0-9A-Z]{18}$/.test(uscc) && !isValidUscc(uscc)) {
    delete profile.uscc;
    warnings.push({ path: 'uscc', column: columnOf.get('uscc'), value: uscc, message: m.usccCheck({ lang, row: context.row, column: columnOf.get('uscc') }) });
  }
  // What the profile check refuses, other than the district, is left unknown (and said so); the row is screened.
  for (let attempt = 0; attempt < 20; attempt++) {
    const checked = validateProfile(profile, '');
    if (checked.profile) return withWarnings({ profile: checked.profile, errors: [], name, uscc });
    const worded = checked.errors.map((e) => {
      const { path } = e;
      const key = [...columnOf.keys()].find((k) => path === k || path.startsWith(`${k}[`) || path.startsWith(`${k}.`));
      const column = key ? columnOf.get(key) : undefined;
      const message = m.invalid({ lang, row: context.row, column }, path, e.message, location?.district as string | undefined);
      return column ? { path, message, column } : { path, message };
    });
    const fatal = worded.filter((e) => e.path === 'location' || e.path.startsWith('location.district') || !removePath(profile, e.path));
    if (fatal.length) return withWarnings({ name, uscc, errors: fatal });
    for (const e of worded) warnings.push({ ...e, message: m.leftUnknown({ lang }, e.message) });
  }
  return withWarnings({ name, uscc, errors: [{ path: '', message: m.districtMissing({ lang, row: context.row }) }] });
}

/** Removes the value at a profile path ("metrics.employees", "sectors[2]", "uscc"); false when there is none. */
function removePath(profile: Record<string, unknown>, path: string): boolean {
  const m = /^([A-Za-z]+)(?:\.([A-Za-z]+))?(?:\[(\d+)\])?/.exec(path);
  if (!m) return false;
  const [, head, inner, index] = m;
  const parent = inner ? (profile[head] as Record<string, unknown> | undefined) : profile;
  const key = inner ?? head;
  if (!parent || !(key in parent)) return false;
  const value = parent[key];
  if (index !== undefined && Array.isArray(value)) {
    value.splice(Number(index), 1);
    if (value.length === 0) delete parent[key];
  } else delete parent[key];
  if (inner && Object.keys(parent).length === 0) delete profile[head];
  return true;
}
