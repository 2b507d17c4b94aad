import { suggestHeaderFields, type FieldError, type Lang } from '@matcher/catalog';
import type { ScreeningColumns } from '@matcher/persistence';
import { importMessages } from './import-messages';
import { fieldForHeader, IMPORT_FIELDS, yesNoField, type ImportField } from './profile-fields';

/** An explicit mapping from the upload form: header → field key (or label), null/"" to ignore a column. */
export type ColumnMapping = Record<string, string | null>;

const IGNORE = new Set(['', 'ignore', 'skip', 'none', '-']);

export const FIELD_NAMES = IMPORT_FIELDS.map((f) => f.key);

/**
 * Suggestions cost an edit distance against every known header name: only the first unknown columns get them,
 * and only short ones (a header is a word or two), so a file of thousands of odd columns stays linear.
 */
const SUGGESTED_COLUMNS = 50;
const SUGGESTED_HEADER_LENGTH = 40;

/** More columns (or NDJSON keys) than an import reads: 413, naming the count. */
export class ColumnLimitExceeded extends Error {
  constructor(
    readonly columns: number,
    readonly limit: number,
    readonly what: 'columns' | 'keys',
  ) {
    super(`${what === 'keys' ? 'The lines use more than' : 'The file has'} ${columns} ${what}; an import reads at most ${limit}.`);
  }
}

/** Suggestions for an unknown header while the budget lasts (empty after it). */
function suggestionsFor(header: string, budget: { left: number }): string[] {
  if (budget.left <= 0 || header.length > SUGGESTED_HEADER_LENGTH) return [];
  budget.left -= 1;
  return suggestHeaderFields(header);
}

/** The field a mapping value names: a key (location.district, district, employees) or a header label. */
function fieldForName(name: string): ImportField | undefined {
  return fieldForHeader(name);
}

function isIgnored(target: string | null): boolean {
  return target === null || IGNORE.has(target.trim().toLowerCase());
}

/** Checks an explicit mapping's targets (not its headers, which depend on the file). */
export function checkMapping(mapping: ColumnMapping): FieldError[] {
  const errors: FieldError[] = [];
  for (const [header, target] of Object.entries(mapping)) {
    if (target !== null && typeof target !== 'string') errors.push({ path: `mapping.${header}`, message: 'must be a field name or null' });
    else if (!isIgnored(target) && !fieldForName(target!))
      errors.push({ path: `mapping.${header}`, message: `is not a profile field; use one of: ${FIELD_NAMES.join(', ')} (or null to ignore the column)` });
  }
  return errors;
}

/** Which field each column of a CSV/XLSX header fills (null = ignored), and what to report about them. */
export interface ColumnPlan {
  fields: (ImportField | null)[];
  columns: ScreeningColumns;
}

/**
 * Maps a header row: the explicit mapping first (exact header text), then the recognised Chinese/English
 * names. A column that names no field is ignored and reported once in the screening, never fatal; a
 * single-valued field given by two columns, a mapping naming a column the file lacks, or no district
 * column at all are errors (400) before anything is stored.
 */
export function planColumns(headers: string[], mapping: ColumnMapping = {}, lang: Lang = 'zh'): { plan?: ColumnPlan; errors: FieldError[] } {
  const { plan, errors } = analyseColumns(headers, mapping, lang);
  return errors.length ? { errors } : { plan, errors };
}

/** As planColumns, but the plan comes with the errors too (the preview shows both). */
export function analyseColumns(headers: string[], mapping: ColumnMapping = {}, lang: Lang = 'zh'): { plan: ColumnPlan; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const trimmed = headers.map((h) => h.trim());
  const present = new Set(trimmed);
  for (const key of Object.keys(mapping)) {
    if (!present.has(key.trim())) errors.push({ path: `mapping.${key}`, message: importMessages.mappingMissingColumn(lang, key, trimmed) });
  }
  const ignoredHeaders = new Set<string>();
  const budget = { left: SUGGESTED_COLUMNS };
  const explicit = new Map(Object.entries(mapping).map(([k, v]) => [k.trim(), v]));
  const fields: (ImportField | null)[] = [];
  const columns: ScreeningColumns = { mapped: [], ignored: [] };
  const firstColumn = new Map<string, string>();
  trimmed.forEach((header) => {
    if (!header) {
      fields.push(null);
      return;
    }
    let field: ImportField | undefined;
    if (explicit.has(header)) {
      const target = explicit.get(header)!;
      if (isIgnored(target)) {
        fields.push(null);
        columns.ignored.push({ header, reason: 'mapped-to-null' });
        ignoredHeaders.add(header);
        return;
      }
      field = fieldForName(target);
      // Mapped to the field a yes/no header already names: still read as yes/no.
      const yesNo = yesNoField(header);
      if (field && yesNo?.key === field.key) field = yesNo;
    } else field = fieldForHeader(header);
    if (!field) {
      fields.push(null);
      if (!ignoredHeaders.has(header)) {
        ignoredHeaders.add(header);
        columns.ignored.push({ header, reason: 'unknown', suggestions: suggestionsFor(header, budget) });
      }
      return;
    }
    const earlier = firstColumn.get(field.key);
    if (earlier !== undefined && field.kind !== 'codes' && field.kind !== 'yesno') {
      errors.push({ path: 'file', message: importMessages.twoColumns(lang, earlier, header, field) });
    }
    firstColumn.set(field.key, earlier ?? header);
    fields.push(field);
    columns.mapped.push({ header, field: field.key });
  });
  if (!firstColumn.has('location.district') && !errors.some((e) => e.path.startsWith('mapping.'))) {
    errors.push({ path: 'file', message: importMessages.noDistrictColumn(lang, trimmed) });
  }
  return { plan: { fields, columns }, errors };
}

/**
 * NDJSON lines are objects; their keys play the part of headers (nested location/metrics objects as
 * dotted keys). Keys are resolved once each; unknown ones are collected for the report.
 */
export class KeyResolver {
  private readonly cache = new Map<string, ImportField | null>();
  private readonly budget = { left: SUGGESTED_COLUMNS };
  readonly columns: ScreeningColumns = { mapped: [], ignored: [] };

  /** `maxKeys`: distinct keys the lines may use together (ColumnLimitExceeded past it). */
  constructor(
    private readonly mapping: ColumnMapping = {},
    private readonly maxKeys = Infinity,
  ) {}

  resolve(key: string): ImportField | null {
    let field = this.cache.get(key);
    if (field !== undefined) return field;
    if (this.cache.size >= this.maxKeys) throw new ColumnLimitExceeded(this.cache.size + 1, this.maxKeys, 'keys');
    if (Object.prototype.hasOwnProperty.call(this.mapping, key)) {
      const target = this.mapping[key];
      field = isIgnored(target) ? null : (fieldForName(target!) ?? null);
      if (!field) this.columns.ignored.push({ header: key, reason: 'mapped-to-null' });
    } else {
      field = fieldForHeader(key) ?? null;
      if (!field) this.columns.ignored.push({ header: key, reason: 'unknown', suggestions: suggestionsFor(key, this.budget) });
    }
    if (field) this.columns.mapped.push({ header: key, field: field.key });
    this.cache.set(key, field);
    return field;
  }
}
