import { validateProfile, type CompanyProfile } from '@matcher/catalog';
import { exampleValues, resolveCode, splitCell, type ImportField } from './profile-fields';

/** A row error: the profile path, the reason, and the column it came from when there is one. */
export interface RowError {
  path: string;
  message: string;
  column?: string;
}

/** One cell of a row: the field its column fills, the header, and the raw value. */
export interface Cell {
  field: ImportField;
  header: string;
  value: unknown;
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

function quote(value: unknown): string {
  const s = value instanceof Date ? value.toISOString().slice(0, 10) : typeof value === 'string' ? value : JSON.stringify(value);
  return `"${s.length > 60 ? `${s.slice(0, 57)}…` : s}"`;
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

function label(field: ImportField): string {
  return `${field.zh} (${field.en})`;
}

/**
 * Turns a row's cells into a company profile: codes or zh/en labels into codes, multi-valued cells split,
 * numbers read leniently; then the profile is validated as POST /match would. A cell that cannot be read
 * fails the row with its column named — never a silently dropped value.
 */
export function buildProfile(cells: Iterable<Cell>): BuiltProfile {
  const profile: Record<string, unknown> = {};
  const lists = new Map<string, Set<string>>();
  const errors: RowError[] = [];
  const columnOf = new Map<string, string>();

  for (const { field, header, value } of cells) {
    if (isBlank(value)) continue;
    columnOf.set(field.key, header);
    const fail = (message: string, path = field.key): void => void errors.push({ path, message, column: header });
    switch (field.kind) {
      case 'text': {
        const text = asText(value);
        if (text === undefined) fail(`must be text, got ${quote(value)}`);
        else if (text) setPath(profile, field.key, text);
        break;
      }
      case 'uscc': {
        const text = asText(value);
        if (text === undefined) fail(`must be text, got ${quote(value)}`);
        else if (text) setPath(profile, field.key, text.normalize('NFKC').replace(/\s+/g, '').toUpperCase());
        break;
      }
      case 'code': {
        const items = Array.isArray(value) ? value : [value];
        if (items.length > 1) {
          fail(`takes one value, got ${items.length}`);
          break;
        }
        const text = asText(items[0]);
        const resolved = text === undefined ? undefined : resolveCode(field.key, text);
        if (resolved) setPath(profile, resolved.field, resolved.code);
        else if (text !== undefined && splitCell(field.key, text).length > 1) fail(`takes one value, got ${quote(text)}`);
        else fail(`${quote(items[0])} is not a code or label of ${label(field)}; e.g. ${exampleValues(field.key)}`);
        break;
      }
      case 'codes': {
        const parts = Array.isArray(value)
          ? value.flatMap((v) => (typeof v === 'string' ? splitCell(field.key, v) : [v]))
          : typeof value === 'string'
            ? splitCell(field.key, value)
            : [value];
        for (const part of parts) {
          const text = asText(part);
          const resolved = text === undefined ? undefined : resolveCode(field.key, text);
          if (!resolved) {
            fail(`${quote(part)} is not a code or label of ${label(field)}; e.g. ${exampleValues(field.key)}`);
            continue;
          }
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
        if (n === undefined) fail(`must be a number, got ${quote(value)}${field.key === 'metrics.rdExpenseRatio' ? ' (a ratio: 0.05 or 5%)' : ''}`);
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
    return { errors: [{ path: 'location.district', message: 'is required: the district cell (所在区 / district) is empty' }], name, uscc };
  }
  const checked = validateProfile(profile, '');
  if (checked.profile) return { profile: checked.profile, errors: [], name, uscc };
  return {
    name,
    uscc,
    errors: checked.errors.map((e) => {
      const path = e.path.replace(/^\./, '');
      const key = [...columnOf.keys()].find((k) => path === k || path.startsWith(`${k}[`) || path.startsWith(`${k}.`));
      const hint = path === 'metrics.rdExpenseRatio' && /<=|maximum/.test(e.message) ? ' (a ratio: 0.05 or 5%)' : '';
      return key ? { path, message: `${e.message}${hint}`, column: columnOf.get(key) } : { path, message: e.message };
    }),
  };
}
