import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import type { CompanyProfile, District } from '@matcher/catalog';
import { defaultDistricts, matchIds, Ruleset, statusOf } from '@matcher/engine';
import { ScreeningSettings } from './screening-settings';
import { modify, ScreeningStore, type RunRow } from './screening-store.service';
import { LiveRuleset } from '../catalog/live-ruleset.service';

export type DrainOutcome = 'done' | 'stopped' | 'gone';

export interface DrainOptions {
  /** Checked between chunks: true stops the drain with the run resumable (SIGTERM). */
  shouldStop: () => boolean;
  /** Whether a run begun on another ruleset version may be restarted on this one (its partial results dropped). */
  mayReset: boolean;
}

/** The run was begun on another ruleset version by a worker that may still be alive: try again later. */
export class RulesetMismatch extends Error {}

type ChunkOutcome = 'processed' | 'none';

/**
 * Screens a run chunk by chunk. Each chunk is one transaction: claim an undone chunk (FOR UPDATE SKIP
 * LOCKED, so concurrent workers — threads of this process or other instances — take different chunks),
 * match its prospects, insert their results (unique per screening, run, row and district), mark the chunk
 * done and advance the run's counters; the last chunk also completes the run. A crash rolls the chunk in
 * flight back, leaving it undone for whoever resumes: no result is lost or written twice.
 */
@Injectable()
export class ScreeningProcessor {
  private readonly logger = new Logger('Screenings');
  private statusCache: { key: string; inForce: Set<string> } | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveRuleset,
    private readonly store: ScreeningStore,
    private readonly settings: ScreeningSettings,
  ) {}

  /** The ruleset this request is pinned to (the live one outside a request). */
  private get ruleset(): Ruleset {
    return this.live.ruleset;
  }

  /** A whole drain on one ruleset version, even when the live version switches meanwhile (the run records it). */
  drain(screeningId: string, run: number, options: DrainOptions): Promise<DrainOutcome> {
    return this.live.run(this.live.liveSnapshot(), () => this.drainPinned(screeningId, run, options));
  }

  private async drainPinned(screeningId: string, run: number, options: DrainOptions): Promise<DrainOutcome> {
    let current = await this.prepare(screeningId, run, options.mayReset);
    if (!current) return 'gone';
    for (;;) {
      if (options.shouldStop()) return 'stopped';
      const screening = await this.store.screening(screeningId);
      if (!screening || screening.current_run !== run) return 'gone';
      // The last chunk completes the run: the drain that screened it is done, whoever looks next.
      if (screening.state === 'completed') return 'done';
      if (!['queued', 'running', 'paused'].includes(screening.state)) return 'gone';
      const outcome = await this.processChunk(current, screening.options.districts as District[] | undefined);
      if (outcome === 'none') return 'done';
      if (this.settings.SCREENING_THROTTLE_MS > 0) await new Promise((r) => setTimeout(r, this.settings.SCREENING_THROTTLE_MS));
      current = (await this.store.run(screeningId, run)) ?? current;
    }
  }

  /** The run, on this ruleset version: adopted when nothing was screened yet, reset when allowed, else refused. */
  private async prepare(screeningId: string, run: number, mayReset: boolean): Promise<RunRow | undefined> {
    const current = await this.store.run(screeningId, run);
    if (!current || !['queued', 'running', 'paused'].includes(current.state)) return undefined;
    if (current.ruleset_version === this.ruleset.version) return current;
    const adopted = await modify<RunRow>(
      this.dataSource,
      `UPDATE screening_run SET ruleset_version = $3 WHERE screening_id = $1 AND run = $2 AND chunks_done = 0 RETURNING *, as_of::text AS as_of`,
      [screeningId, run, this.ruleset.version],
    );
    if (adopted.rows[0]) return adopted.rows[0];
    if (!mayReset)
      throw new RulesetMismatch(
        `run ${run} of screening ${screeningId} was begun on ruleset ${current.ruleset_version}; this instance runs ${this.ruleset.version}`,
      );
    this.logger.warn(`screening ${screeningId} run ${run}: begun on ruleset ${current.ruleset_version}, restarting it on ${this.ruleset.version}`);
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT 1 FROM screening_run WHERE screening_id = $1 AND run = $2 FOR UPDATE', [screeningId, run]);
      await m.query('DELETE FROM screening_result WHERE screening_id = $1 AND run = $2', [screeningId, run]);
      await m.query('UPDATE screening_chunk SET done_at = NULL WHERE screening_id = $1 AND run = $2', [screeningId, run]);
      const reset = await modify<RunRow>(
        m,
        `UPDATE screening_run SET ruleset_version = $3, chunks_done = 0, rows_done = 0, results_stored = 0 WHERE screening_id = $1 AND run = $2 RETURNING *, as_of::text AS as_of`,
        [screeningId, run, this.ruleset.version],
      );
      return reset.rows[0];
    });
  }

  /** Measure ids in force on `asOf`, computed once per date. */
  private inForce(asOf: string): Set<string> {
    const key = `${this.ruleset.version}|${asOf}`;
    if (this.statusCache?.key !== key) {
      const inForce = new Set<string>();
      for (const [id, m] of this.ruleset.measures) if (statusOf(m.validity, asOf) === 'in-force') inForce.add(id);
      this.statusCache = { key, inForce };
    }
    return this.statusCache.inForce;
  }

  private async processChunk(run: RunRow, districts: District[] | undefined): Promise<ChunkOutcome> {
    const qr: QueryRunner = this.dataSource.createQueryRunner();
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

      const inForce = this.inForce(run.as_of);
      const rows: number[] = [];
      const evaluated: string[] = [];
      const scenarios: string[] = [];
      const ids: string[] = [];
      const counts: number[] = [];
      const inForceCounts: number[] = [];
      for (const p of prospects) {
        const own = p.profile.location.district;
        for (const district of districts?.length ? districts : defaultDistricts(p.profile)) {
          const matched = matchIds(this.ruleset, p.profile, [district]);
          let live = 0;
          for (const id of matched) if (inForce.has(id)) live += 1;
          rows.push(p.row_no);
          evaluated.push(district);
          scenarios.push(own === district ? 'current-location' : 'relocation');
          ids.push(matched.join(' '));
          counts.push(matched.length);
          inForceCounts.push(live);
        }
      }
      if (rows.length) {
        await qr.query(
          `INSERT INTO screening_result (screening_id, run, row_no, district, scenario, measure_ids, match_count, in_force_count)
           SELECT $1, $2, r, d, s, string_to_array(m, ' '), c, f FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[]) AS t(r, d, s, m, c, f)`,
          [run.screening_id, run.run, rows, evaluated, scenarios, ids, counts, inForceCounts],
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
        [run.screening_id, run.run, prospects.length, rows.length, this.ruleset.version],
      );
      const counters = advanced.rows[0];
      if (!counters) throw new RulesetMismatch(`run ${run.run} of screening ${run.screening_id} changed ruleset version while a chunk was screened`);
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

  /** Marks a run (and its screening, when current) failed after repeated errors. */
  async fail(screeningId: string, run: number, error: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
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
}
