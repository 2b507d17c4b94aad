import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { type FieldError, type Lang } from '@matcher/catalog';
import { todayInShanghai } from '@matcher/engine';
import {
  ScreeningRepository,
  type ChunkPlan,
  type ProspectRecord,
  type RunRow,
  type ScreeningColumns,
  type ScreeningFormat,
  type ScreeningOptions,
  type ScreeningRow,
} from '@matcher/persistence';
import { Environment } from '../config/environment';
import { invalidRequest, ProblemException } from '../common/problem';
import { ColumnLimitExceeded, type ColumnMapping } from './import/column-mapping';
import type { ImportPreview } from '@matcher/contracts';
import { importMessages, workbookBoundMessage } from './import/import-messages';
import type { BuiltProfile } from './import/profile-builder';
import type { ReadRow } from './import/import-reader';
import { ColumnPlanError, NoHeaderRow, RowLimitExceeded, type ValueFixes } from './import/preview-reader';
import { detectFormat, UnreadableFileError, UnsupportedEncodingError, UnsupportedFormatError } from './import/row-sources';
import { XlsxBoundsError, type XlsxBounds } from './import/xlsx-bounds';
import { ScreeningSettings } from './screening-settings';
import { ScreeningStore } from './screening-store.service';
import { HeavyWorkPool, WorkLimitError } from '../workers/heavy-work.pool';

export interface UploadedFile {
  path: string;
  originalName: string;
  mimeType: string;
  size: number;
}

export type { ValueFixes } from './import/preview-reader';

export interface ImportRequest {
  officerId: string;
  name?: string;
  mapping?: ColumnMapping;
  fixes?: ValueFixes;
  options: ScreeningOptions;
  /** The language of row errors and warnings. */
  lang: Lang;
}

export interface ImportOutcome {
  screening: ScreeningRow;
  run: RunRow | undefined;
  prospects: number;
}

/** Rows written per INSERT while importing: small enough that the embedded database, which runs on the service's own thread, is never held long by one. */
const BATCH = 250;

type PendingRow = ReadRow;

/**
 * Reads an uploaded file (streamed from disk, never whole in memory) into prospects: each data row becomes a
 * profile validated like POST /match, or a failed row stored with its number and reasons. The reading runs in the
 * worker pool (readImport); here rows are written in batches as they arrive, and cut into chunks of
 * SCREENING_CHUNK_ROWS prospects for the runner.
 */
@Injectable()
export class ScreeningImportService {
  private readonly logger = new Logger('Screenings');

  constructor(
    private readonly screenings: ScreeningRepository,
    private readonly store: ScreeningStore,
    private readonly settings: ScreeningSettings,
    private readonly env: Environment,
    private readonly pool: HeavyWorkPool,
  ) {}

  async import(file: UploadedFile, request: ImportRequest): Promise<ImportOutcome> {
    let format: ScreeningFormat;
    try {
      format = await detectFormat(file.path, file.originalName, file.mimeType);
    } catch (err) {
      throw this.readProblem(err);
    }
    const id = randomUUID();
    const name = request.name?.trim() || file.originalName || `screening ${todayInShanghai()}`;
    const warnings: { message: string; column?: string }[] = [];
    const importer = new RowWriter(this.screenings, id, this.settings.SCREENING_CHUNK_ROWS);
    let created = false;
    const create = async (columns: ScreeningColumns): Promise<void> => {
      await this.screenings.createImporting({
        id,
        officerId: request.officerId,
        name: name.slice(0, 200),
        fileName: file.originalName || null,
        format,
        options: request.options,
        columns,
      });
      created = true;
    };

    try {
      const s = this.settings;
      // The rows are read in the worker pool and written here as they come: the request thread only writes.
      const read = await this.pool.importRows(
        file.path,
        format,
        { mapping: request.mapping, fixes: request.fixes, lang: request.lang },
        { maxRows: s.SCREENING_MAX_ROWS, maxColumns: s.SCREENING_MAX_COLUMNS, ndjsonMaxLineBytes: this.env.NDJSON_MAX_LINE_BYTES, xlsx: this.xlsxBounds() },
        this.readSeconds(format),
        async (message) => {
          if (message.kind === 'columns') await create(message.columns);
          else for (const row of message.rows) await importer.add(row);
        },
      );
      const columns = read.columns;
      warnings.push(...read.warnings);
      await importer.flush();
      if (importer.rows === 0) throw invalidRequest([{ path: 'file', message: 'holds no data rows' }], 'The file holds no prospects.');
      for (const c of columns.ignored.filter((x) => x.reason === 'unknown')) {
        warnings.push({ message: importMessages.unknownColumn(request.lang, c.header, c.suggestions ?? []), column: c.header });
      }
      return await this.finish(id, columns, warnings, importer);
    } catch (err) {
      await importer.settle();
      if (created) await this.discard(id);
      if (err instanceof NoHeaderRow) throw invalidRequest([{ path: 'file', message: 'holds no header row' }], 'The file is empty.');
      if (err instanceof ColumnPlanError)
        throw invalidRequest(err.errors, request.lang === 'zh' ? '文件的列无法使用，详见 errors。' : 'The columns of the file cannot be used; see errors.');
      if (err instanceof RowLimitExceeded) {
        const limit = this.settings.SCREENING_MAX_ROWS;
        throw new ProblemException({
          type: 'about:blank#too-many-rows',
          status: HttpStatus.PAYLOAD_TOO_LARGE,
          detail: `A screening holds at most ${limit} rows; split the file.`,
          limit,
        });
      }
      throw this.readProblem(err, request.lang);
    }
  }

  /**
   * The same reading as import, without storing or screening: columns, first rows, values to fix, row errors. Read
   * in the worker pool (readPreview): decoding, parsing and a profile per row never hold the request thread.
   */
  async preview(file: UploadedFile, request: Omit<ImportRequest, 'officerId' | 'name' | 'options'>): Promise<ImportPreview> {
    let format: ScreeningFormat;
    try {
      format = await detectFormat(file.path, file.originalName, file.mimeType);
    } catch (err) {
      throw this.readProblem(err, request.lang);
    }
    const lang = request.lang;
    const s = this.settings;
    try {
      return await this.pool.importPreview(
        file.path,
        format,
        { mapping: request.mapping, fixes: request.fixes, lang },
        { maxRows: s.SCREENING_MAX_ROWS, maxColumns: s.SCREENING_MAX_COLUMNS, ndjsonMaxLineBytes: this.env.NDJSON_MAX_LINE_BYTES, xlsx: this.xlsxBounds() },
        this.readSeconds(format),
      );
    } catch (err) {
      if (err instanceof NoHeaderRow)
        throw invalidRequest(
          [{ path: 'file', message: lang === 'zh' ? '没有标题行' : 'holds no header row' }],
          lang === 'zh' ? '文件是空的。' : 'The file is empty.',
        );
      if (err instanceof RowLimitExceeded) {
        const limit = this.settings.SCREENING_MAX_ROWS;
        throw new ProblemException({
          type: 'about:blank#too-many-rows',
          status: HttpStatus.PAYLOAD_TOO_LARGE,
          detail: lang === 'zh' ? `一次筛查最多 ${limit} 行；请拆分文件。` : `A screening holds at most ${limit} rows; split the file.`,
          limit,
        });
      }
      throw this.readProblem(err, lang);
    }
  }

  /** A workbook's own deadline (checked as it is read) comes first, with its own message; the pool's is the backstop. */
  private readSeconds(format: ScreeningFormat): number {
    return format === 'xlsx' ? this.settings.SCREENING_XLSX_MAX_SECONDS + 5 : this.settings.SCREENING_READ_SECONDS;
  }

  private xlsxBounds(): XlsxBounds {
    const s = this.settings;
    return {
      maxBytes: s.SCREENING_XLSX_MAX_BYTES,
      maxSharedStrings: s.SCREENING_XLSX_MAX_SHARED_STRINGS,
      maxCells: s.SCREENING_XLSX_MAX_CELLS,
      maxColumns: s.SCREENING_MAX_COLUMNS,
      deadline: Date.now() + s.SCREENING_XLSX_MAX_SECONDS * 1000,
    };
  }

  private async finish(id: string, columns: ScreeningColumns, warnings: { message: string; column?: string }[], importer: RowWriter): Promise<ImportOutcome> {
    const chunks = importer.chunks();
    return this.screenings.transaction(async (tx) => {
      const screening = (await tx.lock(id))!;
      await tx.finishImport(id, columns, warnings, importer.rows, importer.failed);
      // Cancelled while importing (DELETE from the list): stays cancelled, no run.
      const run = screening.state === 'importing' ? await this.store.createRun(tx, screening, 1, chunks) : undefined;
      const fresh = (await tx.screening(id))!;
      return { screening: fresh, run, prospects: importer.rows - importer.failed };
    });
  }

  private async discard(id: string): Promise<void> {
    try {
      await this.store.remove(id);
    } catch (err) {
      this.logger.error(`could not remove the partial screening ${id}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private readProblem(err: unknown, lang: Lang = 'zh'): unknown {
    if (err instanceof UnsupportedEncodingError) {
      const message =
        lang === 'zh'
          ? '文件编码无法识别：只读取 UTF-8 和 GB18030/GBK（Big5、Latin-1 等不读取，以免乱码）。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后再上传。'
          : 'The file is not UTF-8 or GB18030/GBK text (Big5, Latin-1 and other encodings are not read, to avoid garbled text). Save it from Excel as "CSV UTF-8" or .xlsx and upload it again.';
      return new ProblemException({
        type: 'about:blank#unsupported-encoding',
        status: HttpStatus.BAD_REQUEST,
        detail: message,
        errors: [{ path: 'file', message }],
      });
    }
    if (err instanceof UnsupportedFormatError)
      return new ProblemException({ type: 'about:blank#unsupported-file', status: HttpStatus.UNSUPPORTED_MEDIA_TYPE, detail: err.message });
    if (err instanceof XlsxBoundsError || err instanceof WorkLimitError) {
      const message = workbookBoundMessage(lang, err.message);
      return new ProblemException({
        // A CSV or NDJSON read past the pool's limits is no workbook: its problem type says file.
        type: `about:blank#${err instanceof WorkLimitError && err.message.startsWith('Reading the file') ? 'file' : 'workbook'}-too-${err.status === 413 ? 'large' : 'slow'}`,
        status: err.status,
        detail: message,
        errors: [{ path: 'file', message }],
        ...(err.limit !== undefined ? { limit: err.limit } : {}),
      });
    }
    if (err instanceof ColumnLimitExceeded) {
      const message =
        lang === 'zh'
          ? err.what === 'keys'
            ? `各行共用了超过 ${err.columns - 1} 个不同的键；导入最多读取 ${err.limit} 个。`
            : `文件有 ${err.columns} 列；导入最多读取 ${err.limit} 列，请删除多余的列。`
          : err.what === 'keys'
            ? `The lines use more than ${err.columns - 1} distinct keys; an import reads at most ${err.limit}.`
            : `The file has ${err.columns} columns; an import reads at most ${err.limit}. Delete the columns it does not need.`;
      return new ProblemException({
        type: 'about:blank#too-many-columns',
        status: HttpStatus.PAYLOAD_TOO_LARGE,
        detail: message,
        errors: [{ path: 'file', message }],
        limit: err.limit,
      });
    }
    if (err instanceof UnreadableFileError) return invalidRequest([{ path: 'file', message: err.message }], err.message);
    return err;
  }
}

/** Batches rows into multi-row INSERTs (one in flight while the next batch is read) and plans the chunks. */
class RowWriter {
  rows = 0;
  failed = 0;
  private batch: PendingRow[] = [];
  private inFlight: Promise<void> = Promise.resolve();
  private readonly plans: ChunkPlan[] = [];

  constructor(
    private readonly screenings: ScreeningRepository,
    private readonly screeningId: string,
    private readonly chunkRows: number,
  ) {}

  async add(row: PendingRow): Promise<void> {
    this.rows += 1;
    if (row.built.profile) {
      const last = this.plans[this.plans.length - 1];
      if (!last || last.prospects >= this.chunkRows) this.plans.push({ firstRow: row.row, lastRow: row.row, prospects: 1 });
      else {
        last.lastRow = row.row;
        last.prospects += 1;
      }
    } else this.failed += 1;
    this.batch.push(row);
    if (this.batch.length >= BATCH) await this.send();
  }

  async flush(): Promise<void> {
    if (this.batch.length) await this.send();
    await this.inFlight;
  }

  /** Waits for the write in flight, whatever its outcome (before discarding a failed import). */
  async settle(): Promise<void> {
    await this.inFlight.catch(() => undefined);
  }

  chunks(): ChunkPlan[] {
    return this.plans;
  }

  private async send(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    await this.inFlight;
    const rows = this.rows;
    const failed = this.failed;
    this.inFlight = this.write(batch, rows, failed);
    // An error surfaces on the next send or flush.
    this.inFlight.catch(() => undefined);
  }

  private async write(batch: PendingRow[], rows: number, failed: number): Promise<void> {
    let failedBefore = failed - batch.filter((b) => !b.built.profile).length;
    const records = batch.map((b): ProspectRecord => ({
      r: b.row,
      s: b.sheetRow !== undefined && Number.isSafeInteger(b.sheetRow) ? b.sheetRow : null,
      n: b.built.name,
      u: b.built.uscc,
      p: b.built.profile ?? null,
      e: b.built.profile ? null : errorsOf(b.built, failedBefore++),
      c: b.cells ?? null,
      w: b.built.warnings?.length ? bounded(b.built.warnings) : null,
    }));
    await this.screenings.writeProspects(this.screeningId, records, rows, failed);
  }
}

/** Errors kept per failed row: a cell of 100,000 bad codes is one row, not 100,000 stored errors. */
export const MAX_ERRORS_PER_ROW = 10;
/** Failed rows whose errors are kept in full (up to MAX_ERRORS_PER_ROW); later ones keep their first error and a count. */
export const MAX_FULL_ERROR_ROWS = 10_000;

/** A row's warnings as stored: the first MAX_ERRORS_PER_ROW and a count of the rest. */
function bounded(warnings: FieldError[]): FieldError[] {
  if (warnings.length <= MAX_ERRORS_PER_ROW) return warnings;
  return [...warnings.slice(0, MAX_ERRORS_PER_ROW), { path: '', message: `and ${warnings.length - MAX_ERRORS_PER_ROW} more warnings in this row` }];
}

function errorsOf(built: BuiltProfile, failedBefore: number): FieldError[] {
  const all = built.errors.length ? built.errors : [{ path: '', message: 'is not a valid profile' }];
  const keep = failedBefore < MAX_FULL_ERROR_ROWS ? MAX_ERRORS_PER_ROW : 1;
  const kept = all.slice(0, keep).map((e) => ({ ...e, message: e.message.length > 300 ? `${e.message.slice(0, 299)}…` : e.message }));
  if (all.length > keep) kept.push({ path: '', message: `and ${all.length - keep} more errors in this row` });
  return kept;
}
