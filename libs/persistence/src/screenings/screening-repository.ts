import { DataSource, type EntityManager } from 'typeorm';
import type { CompanyProfile } from '@matcher/catalog';
import type { ChunkPlan, RowErrorRow, RunRow, ScreeningColumns, ScreeningFormat, ScreeningOptions, ScreeningRow } from './screening-rows';

/** The writes and reads that accept a plain connection or a transaction's manager. */
type Queryable = Pick<EntityManager, 'query'>;

/** UPDATE/DELETE through TypeORM answer [rows, affected]; this returns the rows (RETURNING) and the count. */
async function modify<T>(db: Queryable, sql: string, params: unknown[]): Promise<{ rows: T[]; count: number }> {
  const [rows, count] = await db.query<[T[], number]>(sql, params);
  return { rows, count };
}

/** What screening one chunk produced, one entry per prospect × evaluated district (parallel arrays, inserted with unnest). */
export interface ChunkResults {
  rows: number[];
  districts: string[];
  scenarios: string[];
  /** The matched measure ids of each result, space-separated. */
  measureIds: string[];
  matchCounts: number[];
  inForceCounts: number[];
}

/** `version-changed`: the run moved to another ruleset version while the chunk was screened; nothing was written. */
export type ChunkOutcome = 'processed' | 'none' | 'version-changed';

export interface SavedScreening {
  id: string;
  name: string;
  officerId: string;
  options: ScreeningOptions;
  rowsTotal: number;
}

/** One prospect of an import batch, keyed as json_to_recordset reads it: row, sheet row, name, USCC, profile, errors. */
export interface ProspectRecord {
  r: number;
  s: number | null;
  n: string | null;
  u: string | null;
  p: CompanyProfile | null;
  e: unknown[] | null;
  /** The row's cells as the file gave them (text), in the file's column order. */
  c?: string[] | null;
  /** Warnings of a row screened with values read softly or left unknown. */
  w?: unknown[] | null;
}

/**
 * Screenings, their runs, chunks and prospects: the only code that reads or writes those tables (results are
 * read by ScreeningResultsRepository). Made on a DataSource, or on a transaction's manager by `transaction`.
 */
export class ScreeningRepository {
  private readonly db: EntityManager;

  constructor(db: DataSource | EntityManager) {
    this.db = db instanceof DataSource ? db.manager : db;
  }

  /** Runs `fn` in one transaction, with a repository bound to it. */
  transaction<T>(fn: (tx: ScreeningRepository) => Promise<T>): Promise<T> {
    return this.db.transaction((m) => fn(new ScreeningRepository(m)));
  }

  async owned(id: string, officerId: string): Promise<ScreeningRow | undefined> {
    const [row] = await this.db.query<ScreeningRow[]>('SELECT * FROM screening WHERE id = $1 AND officer_id = $2', [id, officerId]);
    return row;
  }

  async screening(id: string): Promise<ScreeningRow | undefined> {
    const [row] = await this.db.query<ScreeningRow[]>('SELECT * FROM screening WHERE id = $1', [id]);
    return row;
  }

  /** The screening, locked until the transaction ends (in a transaction). */
  async lock(id: string): Promise<ScreeningRow | undefined> {
    const [row] = await this.db.query<ScreeningRow[]>('SELECT * FROM screening WHERE id = $1 FOR UPDATE', [id]);
    return row;
  }

  async run(screeningId: string, run: number): Promise<RunRow | undefined> {
    const [row] = await this.db.query<RunRow[]>(`SELECT *, as_of::text AS as_of FROM screening_run WHERE screening_id = $1 AND run = $2`, [screeningId, run]);
    return row;
  }

  async runs(screeningId: string): Promise<RunRow[]> {
    return await this.db.query<RunRow[]>(`SELECT *, as_of::text AS as_of FROM screening_run WHERE screening_id = $1 ORDER BY run`, [screeningId]);
  }

  /** An officer's screenings, newest first, with the rows done in their current run. */
  list(officerId: string): Promise<(ScreeningRow & { rows_done: number | null })[]> {
    return this.db.query<(ScreeningRow & { rows_done: number | null })[]>(
      `SELECT s.*, r.rows_done FROM screening s LEFT JOIN screening_run r ON r.screening_id = s.id AND r.run = s.current_run
        WHERE s.officer_id = $1 ORDER BY s.created_at DESC, s.id LIMIT 1000`,
      [officerId],
    );
  }

  /** The failed rows, paged, in row order. */
  rowErrors(screeningId: string, limit: number, offset: number): Promise<RowErrorRow[]> {
    return this.db.query<RowErrorRow[]>(
      `SELECT row_no, sheet_row, errors FROM screening_prospect WHERE screening_id = $1 AND errors IS NOT NULL ORDER BY row_no LIMIT $2 OFFSET $3`,
      [screeningId, limit, offset],
    );
  }

  /** The first `limit` failed rows, in row order. */
  firstRowErrors(screeningId: string, limit: number): Promise<RowErrorRow[]> {
    return this.db.query<RowErrorRow[]>(
      `SELECT row_no, sheet_row, errors FROM screening_prospect WHERE screening_id = $1 AND errors IS NOT NULL ORDER BY row_no LIMIT ${Math.trunc(limit)}`,
      [screeningId],
    );
  }

  /**
   * Creates run `run` on `rulesetVersion` and `asOf`, with its chunks (given, or copied from the previous run), and
   * makes it the current run. A run without prospects is complete at once. In the caller's transaction.
   */
  async createRun(screeningId: string, run: number, rulesetVersion: string, asOf: string, chunks: ChunkPlan[] | 'copy'): Promise<RunRow> {
    const m = this.db;
    if (chunks === 'copy') {
      await m.query(
        `INSERT INTO screening_run (screening_id, run, ruleset_version, as_of, state, chunks_total, created_at)
         SELECT $1, $2, $3, $4, 'queued', count(*), now() FROM screening_chunk WHERE screening_id = $1 AND run = $2 - 1`,
        [screeningId, run, rulesetVersion, asOf],
      );
      await m.query(
        `INSERT INTO screening_chunk (screening_id, run, chunk, first_row, last_row, prospects)
         SELECT screening_id, $2, chunk, first_row, last_row, prospects FROM screening_chunk WHERE screening_id = $1 AND run = $2 - 1`,
        [screeningId, run],
      );
    } else {
      await m.query(
        `INSERT INTO screening_run (screening_id, run, ruleset_version, as_of, state, chunks_total, created_at) VALUES ($1, $2, $3, $4, 'queued', $5, now())`,
        [screeningId, run, rulesetVersion, asOf, chunks.length],
      );
      await m.query(
        `INSERT INTO screening_chunk (screening_id, run, chunk, first_row, last_row, prospects)
         SELECT $1, $2, c - 1, f, l, p FROM unnest($3::int[], $4::int[], $5::int[]) WITH ORDINALITY AS t(f, l, p, c)`,
        [screeningId, run, chunks.map((c) => c.firstRow), chunks.map((c) => c.lastRow), chunks.map((c) => c.prospects)],
      );
    }
    const {
      rows: [created],
    } = await modify<RunRow>(
      m,
      `UPDATE screening_run SET state = CASE WHEN chunks_total = 0 THEN 'completed' ELSE 'queued' END,
              started_at = CASE WHEN chunks_total = 0 THEN now() END, finished_at = CASE WHEN chunks_total = 0 THEN now() END
        WHERE screening_id = $1 AND run = $2 RETURNING *, as_of::text AS as_of`,
      [screeningId, run],
    );
    const done = created.state === 'completed';
    await m.query(`UPDATE screening SET state = $2, current_run = $3, finished_at = $4, error = NULL, updated_at = now() WHERE id = $1`, [
      screeningId,
      done ? 'completed' : 'queued',
      run,
      done ? new Date() : null,
    ]);
    return created;
  }

  /** Removes a screening with its prospects, runs, chunks and results, in one transaction. */
  async remove(id: string): Promise<void> {
    await this.db.transaction(async (m) => {
      // The screening row first: a chunk transaction in flight holds its chunk, so this waits for it to commit.
      await m.query('DELETE FROM screening WHERE id = $1', [id]);
      await m.query('DELETE FROM screening_result WHERE screening_id = $1', [id]);
      await m.query('DELETE FROM screening_prospect WHERE screening_id = $1', [id]);
    });
  }

  /** Finished screenings (completed, failed, cancelled) last changed before `cutoff`: the ones retention removes. */
  async finishedBefore(cutoff: Date, limit = 500): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT id FROM screening WHERE state IN ('completed', 'failed', 'cancelled') AND updated_at < $1 ORDER BY updated_at LIMIT $2`,
      [cutoff, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Cancels a queued, running or paused screening and its current run; false when it was none of those. */
  async cancel(id: string): Promise<boolean> {
    return this.db.transaction(async (m) => {
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

  // --- import ---

  /** The screening row an upload writes its prospects under, `importing` until they are all stored. */
  async createImporting(s: {
    id: string;
    officerId: string;
    name: string;
    fileName: string | null;
    format: ScreeningFormat;
    options: ScreeningOptions;
    columns: ScreeningColumns;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO screening (id, officer_id, name, file_name, format, state, options, columns, warnings, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'importing', $6, $7, '[]', now(), now())`,
      [s.id, s.officerId, s.name, s.fileName, s.format, JSON.stringify(s.options), JSON.stringify(s.columns)],
    );
  }

  /**
   * Stores a batch of prospects as one JSON document (profiles travel as JSON once, not escaped again inside an
   * array literal) with the import's running counts, which also touch the screening: its import is alive. Read as
   * jsonb, parsed once: json_to_recordset parsed the text and then each profile and cell list again (2–4× the time).
   */
  async writeProspects(screeningId: string, records: ProspectRecord[], rowsTotal: number, rowsFailed: number): Promise<void> {
    await this.db.query(
      `WITH stored AS (
         INSERT INTO screening_prospect (screening_id, row_no, sheet_row, name, uscc, profile, errors, cells, warnings)
         SELECT $1, r, s, n, u, p, e, c, w FROM jsonb_to_recordset($2::jsonb) AS t(r int, s bigint, n text, u text, p jsonb, e jsonb, c jsonb, w jsonb)
         RETURNING 1)
       UPDATE screening SET rows_total = $3, rows_failed = $4, updated_at = now() WHERE id = $1`,
      [screeningId, JSON.stringify(records), rowsTotal, rowsFailed],
    );
  }

  /** The final columns, warnings and counts of an import. */
  async finishImport(
    id: string,
    columns: ScreeningColumns,
    warnings: { message: string; column?: string }[],
    rowsTotal: number,
    rowsFailed: number,
  ): Promise<void> {
    await this.db.query(`UPDATE screening SET columns = $2, warnings = $3, rows_total = $4, rows_failed = $5, updated_at = now() WHERE id = $1`, [
      id,
      JSON.stringify(columns),
      JSON.stringify(warnings),
      rowsTotal,
      rowsFailed,
    ]);
  }

  // --- runner ---

  /** Takes over a run begun on another ruleset version when none of its chunks is done yet; undefined otherwise. */
  async adoptRun(screeningId: string, run: number, rulesetVersion: string): Promise<RunRow | undefined> {
    const adopted = await modify<RunRow>(
      this.db,
      `UPDATE screening_run SET ruleset_version = $3 WHERE screening_id = $1 AND run = $2 AND chunks_done = 0 RETURNING *, as_of::text AS as_of`,
      [screeningId, run, rulesetVersion],
    );
    return adopted.rows[0];
  }

  /** Restarts a run on `rulesetVersion`: its results dropped, its chunks undone, its counters zeroed, in one transaction. */
  async resetRun(screeningId: string, run: number, rulesetVersion: string): Promise<RunRow> {
    return this.db.transaction(async (m) => {
      await m.query('SELECT 1 FROM screening_run WHERE screening_id = $1 AND run = $2 FOR UPDATE', [screeningId, run]);
      await m.query('DELETE FROM screening_result WHERE screening_id = $1 AND run = $2', [screeningId, run]);
      await m.query('UPDATE screening_chunk SET done_at = NULL WHERE screening_id = $1 AND run = $2', [screeningId, run]);
      const reset = await modify<RunRow>(
        m,
        `UPDATE screening_run SET ruleset_version = $3, chunks_done = 0, rows_done = 0, results_stored = 0 WHERE screening_id = $1 AND run = $2 RETURNING *, as_of::text AS as_of`,
        [screeningId, run, rulesetVersion],
      );
      return reset.rows[0];
    });
  }

  /**
   * Screens one chunk in one transaction: claims an undone chunk (FOR UPDATE SKIP LOCKED, so concurrent workers
   * take different chunks), hands its prospects to `screen`, inserts the results, marks the chunk done and
   * advances the run's counters (the last chunk completes the run and its screening). Any error rolls it all back.
   */
  async screenChunk(
    run: Pick<RunRow, 'screening_id' | 'run' | 'state'>,
    rulesetVersion: string,
    screen: (prospects: { row_no: number; profile: CompanyProfile }[]) => ChunkResults,
  ): Promise<ChunkOutcome> {
    const qr = this.db.connection.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      const [chunk] = (await qr.query(
        `SELECT chunk, first_row, last_row FROM screening_chunk
          WHERE screening_id = $1 AND run = $2 AND done_at IS NULL ORDER BY chunk LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [run.screening_id, run.run],
      )) as { chunk: number; first_row: number; last_row: number }[];
      if (!chunk) {
        await qr.rollbackTransaction();
        return 'none';
      }
      const prospects = (await qr.query(
        `SELECT row_no, profile FROM screening_prospect WHERE screening_id = $1 AND row_no BETWEEN $2 AND $3 AND profile IS NOT NULL ORDER BY row_no`,
        [run.screening_id, chunk.first_row, chunk.last_row],
      )) as { row_no: number; profile: CompanyProfile }[];

      const { rows, districts, scenarios, measureIds, matchCounts, inForceCounts } = screen(prospects);
      if (rows.length) {
        await qr.query(
          `INSERT INTO screening_result (screening_id, run, row_no, district, scenario, measure_ids, match_count, in_force_count)
           SELECT $1, $2, r, d, s, string_to_array(m, ' '), c, f FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[]) AS t(r, d, s, m, c, f)`,
          [run.screening_id, run.run, rows, districts, scenarios, measureIds, matchCounts, inForceCounts],
        );
      }
      await qr.query('UPDATE screening_chunk SET done_at = now() WHERE screening_id = $1 AND run = $2 AND chunk = $3', [
        run.screening_id,
        run.run,
        chunk.chunk,
      ]);
      const advanced = await modify<{ chunks_done: number; chunks_total: number }>(
        qr,
        `UPDATE screening_run SET chunks_done = chunks_done + 1, rows_done = rows_done + $3, results_stored = results_stored + $4,
                progressed_at = now(), started_at = COALESCE(started_at, now()),
                state = CASE WHEN state IN ('queued', 'paused') THEN 'running' ELSE state END
          WHERE screening_id = $1 AND run = $2 AND ruleset_version = $5 RETURNING chunks_done, chunks_total`,
        [run.screening_id, run.run, prospects.length, rows.length, rulesetVersion],
      );
      const counters = advanced.rows[0];
      if (!counters) {
        await qr.rollbackTransaction();
        return 'version-changed';
      }
      if (counters.chunks_done >= counters.chunks_total) {
        await qr.query(`UPDATE screening_run SET state = 'completed', finished_at = now() WHERE screening_id = $1 AND run = $2 AND state = 'running'`, [
          run.screening_id,
          run.run,
        ]);
        await qr.query(
          `UPDATE screening SET state = 'completed', finished_at = now(), updated_at = now() WHERE id = $1 AND current_run = $2 AND state IN ('queued', 'running', 'paused')`,
          [run.screening_id, run.run],
        );
      } else if (run.state !== 'running') {
        await qr.query(`UPDATE screening SET state = 'running', updated_at = now() WHERE id = $1 AND current_run = $2 AND state IN ('queued', 'paused')`, [
          run.screening_id,
          run.run,
        ]);
      }
      await qr.commitTransaction();
      return 'processed';
    } catch (err) {
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      await qr.release();
    }
  }

  /** Marks a run (and its screening, when current) failed, in one transaction. */
  async failRun(screeningId: string, run: number, error: string): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.query(
        `UPDATE screening_run SET state = 'failed', finished_at = now(), error = $3 WHERE screening_id = $1 AND run = $2 AND state IN ('queued', 'running', 'paused')`,
        [screeningId, run, error],
      );
      await m.query(
        `UPDATE screening SET state = 'failed', finished_at = now(), error = $3, updated_at = now() WHERE id = $1 AND current_run = $2 AND state IN ('queued', 'running', 'paused')`,
        [screeningId, run, error],
      );
    });
  }

  /**
   * Fails the imports not touched for `untouchedFor` (a PostgreSQL interval, e.g. '2 minutes') and removes their
   * half-stored rows. Returns how many.
   */
  async failAbandonedImports(untouchedFor: string): Promise<number> {
    const failed = await modify<{ id: string }>(
      this.db,
      `UPDATE screening SET state = 'failed', finished_at = now(), rows_total = 0, rows_failed = 0,
              error = 'The upload was interrupted before all its rows were stored; upload the file again.'
        WHERE state = 'importing' AND updated_at <= now() - $1::interval RETURNING id`,
      [untouchedFor],
    );
    if (failed.count) await this.db.query(`DELETE FROM screening_prospect WHERE screening_id = ANY($1::uuid[])`, [failed.rows.map((r) => r.id)]);
    return failed.count;
  }

  /** Current runs still to screen, oldest first: all of them, or those without progress for `staleSeconds`. */
  unfinishedRuns(all: boolean, staleSeconds: number): Promise<{ screening_id: string; run: number }[]> {
    return this.db.query<{ screening_id: string; run: number }[]>(
      `SELECT r.screening_id, r.run FROM screening_run r JOIN screening s ON s.id = r.screening_id AND s.current_run = r.run
        WHERE r.state IN ('queued', 'running', 'paused') AND s.state IN ('queued', 'running', 'paused')
          AND ($1 OR COALESCE(r.progressed_at, r.created_at) < now() - make_interval(secs => $2))
        ORDER BY r.created_at`,
      [all, staleSeconds],
    );
  }

  /** Marks these queued or running runs (and their screenings) paused, in one transaction. */
  async pauseRuns(runs: { screeningId: string; run: number }[]): Promise<void> {
    await this.db.transaction(async (m) => {
      for (const { screeningId, run } of runs) {
        await m.query(`UPDATE screening_run SET state = 'paused' WHERE screening_id = $1 AND run = $2 AND state IN ('queued', 'running')`, [screeningId, run]);
        await m.query(`UPDATE screening SET state = 'paused', updated_at = now() WHERE id = $1 AND current_run = $2 AND state IN ('queued', 'running')`, [
          screeningId,
          run,
        ]);
      }
    });
  }

  // --- ruleset impact ---

  /** Every screening with stored prospects (any officer's), oldest first: what a ruleset change would affect. */
  async savedScreenings(): Promise<SavedScreening[]> {
    const rows: { id: string; name: string; officer_id: string; options: ScreeningOptions; rows_total: number }[] = await this.db.query(
      `SELECT id, name, officer_id, options, rows_total FROM screening WHERE state <> 'importing' ORDER BY created_at, id`,
    );
    return rows.map((r) => ({ id: r.id, name: r.name, officerId: r.officer_id, options: r.options, rowsTotal: r.rows_total }));
  }

  /** A page of a screening's valid prospects after row `afterRow`, in row order. */
  async profiles(screeningId: string, afterRow: number, limit: number): Promise<{ rowNo: number; profile: CompanyProfile }[]> {
    const rows: { row_no: number; profile: CompanyProfile }[] = await this.db.query(
      `SELECT row_no, profile FROM screening_prospect WHERE screening_id = $1 AND row_no > $2 AND profile IS NOT NULL ORDER BY row_no LIMIT $3`,
      [screeningId, afterRow, limit],
    );
    return rows.map((r) => ({ rowNo: r.row_no, profile: r.profile }));
  }
}
