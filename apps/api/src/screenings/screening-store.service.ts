import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { FieldError } from '@matcher/catalog';
import { Ruleset, todayInShanghai } from '@matcher/engine';
import type { ScreeningColumns, ScreeningFormat, ScreeningOptions, ScreeningRunState, ScreeningState } from '@matcher/persistence';
import type { FailedRow, RowErrorPage, ScreeningDetail, ScreeningRun, ScreeningSummary } from '@matcher/contracts';
import { LiveRuleset } from '../catalog/live-ruleset.service';
import { iso } from '../common/iso';

export interface ScreeningRow {
  id: string;
  officer_id: string;
  name: string;
  file_name: string | null;
  format: ScreeningFormat;
  state: ScreeningState;
  options: ScreeningOptions;
  columns: ScreeningColumns;
  warnings: { message: string; column?: string }[];
  rows_total: number;
  rows_failed: number;
  current_run: number;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

export interface RunRow {
  screening_id: string;
  run: number;
  ruleset_version: string;
  as_of: string;
  state: ScreeningRunState;
  chunks_total: number;
  chunks_done: number;
  rows_done: number;
  results_stored: number;
  created_at: Date;
  started_at: Date | null;
  progressed_at: Date | null;
  finished_at: Date | null;
  error: string | null;
}

export interface ChunkPlan {
  firstRow: number;
  lastRow: number;
  prospects: number;
}

/** Rows with errors shown in the screening's detail; all of them are paged at GET /screenings/:id/row-errors. */
export const ROW_ERRORS_SHOWN = 100;

const int = (v: unknown): number => Number(v ?? 0);

type Queryable = Pick<EntityManager, 'query'>;

/** UPDATE/DELETE through TypeORM answer [rows, affected]; this returns the rows (RETURNING) and the count. */
export async function modify<T>(db: Queryable, sql: string, params: unknown[]): Promise<{ rows: T[]; count: number }> {
  const [rows, count] = await db.query<[T[], number]>(sql, params);
  return { rows, count };
}

/** Reading and writing screenings, runs and chunks: the SQL shared by the API, the import and the runner. */
@Injectable()
export class ScreeningStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveRuleset,
  ) {}

  /** The ruleset this request is pinned to (the live one outside a request). */
  private get ruleset(): Ruleset {
    return this.live.ruleset;
  }

  /** The officer's screening, or 404 — another officer's screening does not exist for them. */
  async owned(id: string, officerId: string): Promise<ScreeningRow> {
    const [row] = await this.dataSource.query<ScreeningRow[]>('SELECT * FROM screening WHERE id = $1 AND officer_id = $2', [id, officerId]);
    if (!row) throw new NotFoundException(`No screening with id ${id}`);
    return row;
  }

  async screening(id: string): Promise<ScreeningRow | undefined> {
    const [row] = await this.dataSource.query<ScreeningRow[]>('SELECT * FROM screening WHERE id = $1', [id]);
    return row;
  }

  async run(screeningId: string, run: number): Promise<RunRow | undefined> {
    const [row] = await this.dataSource.query<RunRow[]>(`SELECT *, as_of::text AS as_of FROM screening_run WHERE screening_id = $1 AND run = $2`, [
      screeningId,
      run,
    ]);
    return row;
  }

  async runs(screeningId: string): Promise<RunRow[]> {
    return await this.dataSource.query<RunRow[]>(`SELECT *, as_of::text AS as_of FROM screening_run WHERE screening_id = $1 ORDER BY run`, [screeningId]);
  }

  summary(s: ScreeningRow, run: Pick<RunRow, 'rows_done'> | undefined): ScreeningSummary {
    const screened = int(run?.rows_done);
    return {
      id: s.id,
      name: s.name,
      state: s.state === 'importing' ? 'queued' : s.state,
      format: s.format,
      fileName: s.file_name,
      rowsTotal: int(s.rows_total),
      rowsDone: int(s.rows_failed) + screened,
      rowsFailed: int(s.rows_failed),
      rowsScreened: screened,
      createdAt: iso(s.created_at),
      finishedAt: iso(s.finished_at),
      currentRun: int(s.current_run),
    };
  }

  runView(r: RunRow): ScreeningRun {
    return {
      run: r.run,
      rulesetVersion: r.ruleset_version,
      asOf: r.as_of,
      state: r.state,
      rowsDone: int(r.rows_done),
      chunksDone: int(r.chunks_done),
      chunksTotal: int(r.chunks_total),
      resultsStored: int(r.results_stored),
      createdAt: iso(r.created_at),
      startedAt: iso(r.started_at),
      finishedAt: iso(r.finished_at),
      error: r.error,
    };
  }

  /** The failed rows, paged, in row order. */
  async rowErrors(s: ScreeningRow, limit: number, offset: number): Promise<RowErrorPage> {
    const rows = await this.dataSource.query<{ row_no: number; sheet_row: string | null; errors: FieldError[] }[]>(
      `SELECT row_no, sheet_row, errors FROM screening_prospect WHERE screening_id = $1 AND errors IS NOT NULL ORDER BY row_no LIMIT $2 OFFSET $3`,
      [s.id, limit, offset],
    );
    return { total: int(s.rows_failed), limit, offset, items: rows.map(rowError) };
  }

  async list(officerId: string): Promise<ScreeningSummary[]> {
    const rows = await this.dataSource.query<(ScreeningRow & { rows_done: number | null })[]>(
      `SELECT s.*, r.rows_done FROM screening s LEFT JOIN screening_run r ON r.screening_id = s.id AND r.run = s.current_run
        WHERE s.officer_id = $1 ORDER BY s.created_at DESC, s.id LIMIT 1000`,
      [officerId],
    );
    return rows.map((r) => this.summary(r, { rows_done: r.rows_done ?? 0 }));
  }

  async detail(s: ScreeningRow): Promise<ScreeningDetail> {
    const runs = await this.runs(s.id);
    const errors = await this.dataSource.query<{ row_no: number; sheet_row: string | null; errors: FieldError[] }[]>(
      `SELECT row_no, sheet_row, errors FROM screening_prospect WHERE screening_id = $1 AND errors IS NOT NULL ORDER BY row_no LIMIT ${ROW_ERRORS_SHOWN}`,
      [s.id],
    );
    const current = runs.find((r) => r.run === s.current_run);
    return {
      ...this.summary(s, current),
      options: s.options,
      columns: s.columns,
      warnings: s.warnings,
      rowErrors: errors.map(rowError),
      rowErrorsTruncated: int(s.rows_failed) > errors.length,
      runs: runs.map((r) => this.runView(r)),
      error: s.error,
    };
  }

  /**
   * Creates run `run` of a screening against the current ruleset, with its chunks (given, or copied from the
   * previous run), and makes it the current run. A run without prospects is complete at once.
   */
  async createRun(m: EntityManager, screening: Pick<ScreeningRow, 'id' | 'options'>, run: number, chunks: ChunkPlan[] | 'copy'): Promise<RunRow> {
    const asOf = screening.options.asOf ?? todayInShanghai();
    if (chunks === 'copy') {
      await m.query(
        `INSERT INTO screening_run (screening_id, run, ruleset_version, as_of, state, chunks_total, created_at)
         SELECT $1, $2, $3, $4, 'queued', count(*), now() FROM screening_chunk WHERE screening_id = $1 AND run = $2 - 1`,
        [screening.id, run, this.ruleset.version, asOf],
      );
      await m.query(
        `INSERT INTO screening_chunk (screening_id, run, chunk, first_row, last_row, prospects)
         SELECT screening_id, $2, chunk, first_row, last_row, prospects FROM screening_chunk WHERE screening_id = $1 AND run = $2 - 1`,
        [screening.id, run],
      );
    } else {
      await m.query(
        `INSERT INTO screening_run (screening_id, run, ruleset_version, as_of, state, chunks_total, created_at) VALUES ($1, $2, $3, $4, 'queued', $5, now())`,
        [screening.id, run, this.ruleset.version, asOf, chunks.length],
      );
      await m.query(
        `INSERT INTO screening_chunk (screening_id, run, chunk, first_row, last_row, prospects)
         SELECT $1, $2, c - 1, f, l, p FROM unnest($3::int[], $4::int[], $5::int[]) WITH ORDINALITY AS t(f, l, p, c)`,
        [screening.id, run, chunks.map((c) => c.firstRow), chunks.map((c) => c.lastRow), chunks.map((c) => c.prospects)],
      );
    }
    const {
      rows: [created],
    } = await modify<RunRow>(
      m,
      `UPDATE screening_run SET state = CASE WHEN chunks_total = 0 THEN 'completed' ELSE 'queued' END,
              started_at = CASE WHEN chunks_total = 0 THEN now() END, finished_at = CASE WHEN chunks_total = 0 THEN now() END
        WHERE screening_id = $1 AND run = $2 RETURNING *, as_of::text AS as_of`,
      [screening.id, run],
    );
    const done = created.state === 'completed';
    await m.query(`UPDATE screening SET state = $2, current_run = $3, finished_at = $4, error = NULL, updated_at = now() WHERE id = $1`, [
      screening.id,
      done ? 'completed' : 'queued',
      run,
      done ? new Date() : null,
    ]);
    return created;
  }

  /** Removes a screening with its prospects, runs, chunks and results, in one transaction. */
  async remove(id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      // The screening row first: a chunk transaction in flight holds its chunk, so this waits for it to commit.
      await m.query('DELETE FROM screening WHERE id = $1', [id]);
      await m.query('DELETE FROM screening_result WHERE screening_id = $1', [id]);
      await m.query('DELETE FROM screening_prospect WHERE screening_id = $1', [id]);
    });
  }

  /** Cancels a queued, running or paused screening: its current run stops after the chunk in flight. */
  async cancel(id: string): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const { count } = await modify(
        m,
        `UPDATE screening SET state = 'cancelled', finished_at = now(), updated_at = now() WHERE id = $1 AND state IN ('importing', 'queued', 'running', 'paused')`,
        [id],
      );
      if (!count) return false;
      await m.query(`UPDATE screening_run SET state = 'cancelled', finished_at = now() WHERE screening_id = $1 AND state IN ('queued', 'running', 'paused')`, [
        id,
      ]);
      return true;
    });
  }
}

/** A failed row; `sheetRow` when the sheet numbers it differently from its position. */
function rowError(e: { row_no: number; sheet_row: string | null; errors: FieldError[] }): FailedRow {
  return e.sheet_row === null ? { row: e.row_no, errors: e.errors } : { row: e.row_no, sheetRow: Number(e.sheet_row), errors: e.errors };
}
