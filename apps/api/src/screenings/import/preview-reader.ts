import type { FieldError, Lang } from '@matcher/catalog';
import type { ImportPreview, RowError, ValueIssue } from '@matcher/contracts';
import type { ScreeningFormat } from '@matcher/persistence';
import { analyseColumns, ColumnLimitExceeded, KeyResolver, type ColumnMapping } from './column-mapping';
import { buildProfile, type BuiltProfile, type Cell } from './profile-builder';
import { IMPORT_FIELDS } from './profile-fields';
import { csvRows, ndjsonLines, UnreadableFileError, UnsupportedEncodingError, xlsxRows, type SheetRow } from './row-sources';
import { checkXlsxBounds, XlsxBoundsError, type XlsxBounds } from './xlsx-bounds';

/** The officer's fixes of cell values, per column header: value → code (null drops the value). */
export type ValueFixes = Record<string, Record<string, string | null>>;

const PREVIEW_SAMPLE_ROWS = 5;
const PREVIEW_ROW_ERRORS = 100;
const PREVIEW_VALUES = 200;

export class RowLimitExceeded extends Error {}

/** The header cannot be used as the officer mapped it. */
export class ColumnPlanError extends Error {
  constructor(readonly errors: FieldError[]) {
    super('The columns of the file cannot be used; see errors.');
  }
}

/** A file without a single non-blank row. */
export class NoHeaderRow extends Error {}

export interface PreviewRequest {
  mapping?: ColumnMapping;
  fixes?: ValueFixes;
  lang: Lang;
}

export interface PreviewLimits {
  maxRows: number;
  maxColumns: number;
  ndjsonMaxLineBytes: number;
  xlsx: XlsxBounds;
}

/**
 * Why a preview could not be read, as data: a thrown class loses its type between threads, so the worker
 * answers this and the request thread raises the matching error again.
 */
export type ReadFailure =
  | { kind: 'rows' }
  | { kind: 'no-header' }
  | { kind: 'columns'; columns: number; limit: number; what: 'columns' | 'keys' }
  | { kind: 'encoding' }
  | { kind: 'unreadable'; message: string }
  | { kind: 'bound'; message: string; status: 413 | 422; limit?: number }
  | { kind: 'plan'; errors: FieldError[] };

export function readFailure(err: unknown): ReadFailure | undefined {
  if (err instanceof RowLimitExceeded) return { kind: 'rows' };
  if (err instanceof NoHeaderRow) return { kind: 'no-header' };
  if (err instanceof ColumnLimitExceeded) return { kind: 'columns', columns: err.columns, limit: err.limit, what: err.what };
  if (err instanceof UnsupportedEncodingError) return { kind: 'encoding' };
  if (err instanceof UnreadableFileError) return { kind: 'unreadable', message: err.message };
  if (err instanceof XlsxBoundsError) return { kind: 'bound', message: err.message, status: err.status, limit: err.limit };
  return undefined;
}

export function failureError(f: ReadFailure): Error {
  switch (f.kind) {
    case 'rows':
      return new RowLimitExceeded();
    case 'no-header':
      return new NoHeaderRow();
    case 'columns':
      return new ColumnLimitExceeded(f.columns, f.limit, f.what);
    case 'encoding':
      return new UnsupportedEncodingError();
    case 'unreadable':
      return new UnreadableFileError(f.message);
    case 'bound':
      return new XlsxBoundsError(f.message, f.status, f.limit);
    case 'plan':
      return new ColumnPlanError(f.errors);
  }
}

/**
 * What an upload would read, without storing or screening: columns, first rows, values to fix, row errors. CPU-heavy
 * (decoding, parsing, a profile per row) and pure, so it runs in the worker pool; the measuring of a workbook runs
 * here too, in the same thread.
 */
export async function readPreview(path: string, format: ScreeningFormat, request: PreviewRequest, limits: PreviewLimits): Promise<ImportPreview> {
  const lang = request.lang;
  const fixes = fixesByHeader(request.fixes);
  const checkColumns = (count: number): void => {
    if (count > limits.maxColumns) throw new ColumnLimitExceeded(count, limits.maxColumns, 'columns');
  };
  const out: ImportPreview = {
    format,
    columns: [],
    sampleRows: [],
    rowsTotal: 0,
    rowsValid: 0,
    rowsFailed: 0,
    values: [],
    rowErrors: [],
    errors: [],
    fields: IMPORT_FIELDS.map((f) => ({ key: f.key, kind: f.kind, zh: f.zh, en: f.en })),
  };
  const issues = new Map<string, ValueIssue>();
  const take = (row: number, built: BuiltProfile): void => {
    if (out.rowsTotal + 1 > limits.maxRows) throw new RowLimitExceeded();
    out.rowsTotal += 1;
    if (built.profile) out.rowsValid += 1;
    else out.rowsFailed += 1;
    const other: RowError[] = [];
    // Values to confirm come from errors and warnings alike: a value left unknown is worth a fix too.
    for (const e of [...built.errors, ...(built.warnings ?? [])]) {
      if (!e.reason || e.value === undefined || !e.column) {
        if (built.errors.includes(e)) other.push(e);
        continue;
      }
      const key = `${e.column}\u0000${e.value}`;
      const known = issues.get(key);
      if (known) {
        known.count += 1;
        if (known.rows.length < 5) known.rows.push(row);
      } else if (issues.size < PREVIEW_VALUES) {
        const message = e.message.replace(/^[^：:]*[：:]\s*/, '');
        issues.set(key, {
          column: e.column,
          field: e.path,
          value: e.value,
          reason: e.reason,
          message,
          candidates: e.candidates ?? [],
          rows: [row],
          count: 1,
        });
      }
    }
    if (other.length && out.rowErrors.length < PREVIEW_ROW_ERRORS) out.rowErrors.push({ row, errors: other });
  };
  if (format === 'ndjson') {
    const resolver = new KeyResolver(request.mapping, limits.maxColumns);
    for await (const line of ndjsonLines(path, limits.ndjsonMaxLineBytes)) {
      if ('error' in line || !isObject(line.value)) {
        take(line.row, {
          errors: [{ path: '', message: 'error' in line ? line.error : 'must be a JSON object (one profile per line)' }],
          name: null,
          uscc: null,
        });
        continue;
      }
      if (out.sampleRows.length < PREVIEW_SAMPLE_ROWS) out.sampleRows.push({ row: line.row, cells: [line.value] });
      take(line.row, buildProfile(jsonCells(line.value, resolver, fixes), { row: line.row, lang }));
    }
    out.columns = [
      ...resolver.columns.mapped.map((c, index) => ({
        index,
        header: c.header,
        field: c.field,
        source: request.mapping && c.header in request.mapping ? ('mapping' as const) : ('recognised' as const),
        suggestions: [],
      })),
      ...resolver.columns.ignored.map((c, i) => ({
        index: resolver.columns.mapped.length + i,
        header: c.header,
        field: null,
        source: c.reason === 'unknown' ? ('unknown' as const) : ('ignored' as const),
        suggestions: c.suggestions ?? [],
      })),
    ];
  } else {
    const info: { encoding?: string } = {};
    const rows = format === 'csv' ? csvRows(path, info) : xlsxRows(path, limits.xlsx, checkXlsxBounds);
    const header = await firstNonBlankRow(rows);
    out.encoding = info.encoding;
    if (!header) throw new NoHeaderRow();
    checkColumns(header.cells.length);
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- header cells are text, numbers or dates as the readers give them
    const headers = header.cells.map((c) => (c === null || c === undefined ? '' : String(c instanceof Date ? c.toISOString().slice(0, 10) : c)));
    const { plan, errors } = analyseColumns(headers, request.mapping, lang);
    out.errors = errors;
    const explicit = new Set(Object.keys(request.mapping ?? {}).map((k) => k.trim()));
    const ignoredByHeader = new Map(plan.columns.ignored.map((c) => [c.header, c]));
    out.columns = headers.map((h, index) => {
      const name = h.trim();
      const field = plan.fields[index];
      const ignored = ignoredByHeader.get(name);
      return {
        index,
        header: name,
        field: field?.key ?? null,
        source: field ? (explicit.has(name) ? 'mapping' : 'recognised') : ignored?.reason === 'unknown' ? 'unknown' : 'ignored',
        suggestions: field ? [] : (ignored?.suggestions ?? []),
      };
    });
    for await (const { row, cells } of rows) {
      checkColumns(cells.length);
      if (isBlankRow(cells)) continue;
      if (out.sampleRows.length < PREVIEW_SAMPLE_ROWS)
        out.sampleRows.push({ row, cells: cells.map((c) => (c instanceof Date ? c.toISOString().slice(0, 10) : c)) });
      const picked: Cell[] = [];
      for (let i = 0; i < cells.length; i++) {
        const field = plan.fields[i];
        if (field) picked.push({ field, header: headers[i].trim(), value: cells[i], fixes: fixes.get(headers[i].trim()) });
      }
      take(row, buildProfile(picked, { row, lang }));
    }
  }
  if (out.rowsTotal === 0 && !out.errors.length) out.errors.push({ path: 'file', message: lang === 'zh' ? '没有数据行' : 'holds no data rows' });
  out.values = [...issues.values()];
  return out;
}

export function isBlankCell(c: unknown): boolean {
  return c === null || c === undefined || (typeof c === 'string' && c.trim() === '');
}

export function isBlankRow(cells: unknown[]): boolean {
  return cells.every(isBlankCell);
}

/** The header: the first row with a cell in it (the generator goes on from the row after). */
export async function firstNonBlankRow(rows: AsyncGenerator<SheetRow>): Promise<SheetRow | undefined> {
  for (;;) {
    const next = await rows.next();
    if (next.done) return undefined;
    if (!isBlankRow(next.value.cells)) return next.value;
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An NDJSON object's entries as cells: nested location/metrics flattened to dotted keys. */
export function* jsonCells(value: unknown, resolver: KeyResolver, fixes: Map<string, Map<string, string | null>>): Generator<Cell> {
  if (!isObject(value)) return;
  for (const [key, v] of Object.entries(value)) {
    if ((key === 'location' || key === 'metrics') && isObject(v)) {
      for (const [inner, w] of Object.entries(v)) {
        const field = resolver.resolve(`${key}.${inner}`);
        if (field) yield { field, header: `${key}.${inner}`, value: w, fixes: fixes.get(`${key}.${inner}`) };
      }
      continue;
    }
    const field = resolver.resolve(key);
    if (field) yield { field, header: key, value: v, fixes: fixes.get(key) };
  }
}

export function fixesByHeader(fixes: ValueFixes | undefined): Map<string, Map<string, string | null>> {
  return new Map(Object.entries(fixes ?? {}).map(([header, values]) => [header.trim(), new Map(Object.entries(values).map(([v, code]) => [v.trim(), code]))]));
}
