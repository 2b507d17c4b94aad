import { Injectable, Logger } from '@nestjs/common';
import type { CompanyProfile, District } from '@matcher/catalog';
import { defaultDistricts, matchIds, statusOf } from '@matcher/engine';
import { ScreeningRepository, type ChunkResults, type RunRow } from '@matcher/persistence';
import { ScreeningSettings } from './screening-settings';
import { ScreeningStore } from './screening-store.service';
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
    private readonly screenings: ScreeningRepository,
    private readonly live: LiveRuleset,
    private readonly store: ScreeningStore,
    private readonly settings: ScreeningSettings,
  ) {}

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
    if (current.ruleset_version === this.live.ruleset.version) return current;
    const adopted = await this.screenings.adoptRun(screeningId, run, this.live.ruleset.version);
    if (adopted) return adopted;
    if (!mayReset)
      throw new RulesetMismatch(
        `run ${run} of screening ${screeningId} was begun on ruleset ${current.ruleset_version}; this instance runs ${this.live.ruleset.version}`,
      );
    this.logger.warn(`screening ${screeningId} run ${run}: begun on ruleset ${current.ruleset_version}, restarting it on ${this.live.ruleset.version}`);
    return this.screenings.resetRun(screeningId, run, this.live.ruleset.version);
  }

  /** Measure ids in force on `asOf`, computed once per date. */
  private inForce(asOf: string): Set<string> {
    const key = `${this.live.ruleset.version}|${asOf}`;
    if (this.statusCache?.key !== key) {
      const inForce = new Set<string>();
      for (const [id, m] of this.live.ruleset.measures) if (statusOf(m.validity, asOf) === 'in-force') inForce.add(id);
      this.statusCache = { key, inForce };
    }
    return this.statusCache.inForce;
  }

  /** Screens one undone chunk of the run (one transaction, see ScreeningRepository.screenChunk); `none` when none is left. */
  private async processChunk(run: RunRow, districts: District[] | undefined): Promise<'processed' | 'none'> {
    const outcome = await this.screenings.screenChunk(run, this.live.ruleset.version, (prospects) => this.screen(prospects, run.as_of, districts));
    if (outcome === 'version-changed')
      throw new RulesetMismatch(`run ${run.run} of screening ${run.screening_id} changed ruleset version while a chunk was screened`);
    return outcome;
  }

  /** Every prospect matched in each district it is evaluated in. */
  private screen(prospects: { row_no: number; profile: CompanyProfile }[], asOf: string, districts: District[] | undefined): ChunkResults {
    const inForce = this.inForce(asOf);
    const results: ChunkResults = { rows: [], districts: [], scenarios: [], measureIds: [], matchCounts: [], inForceCounts: [] };
    for (const p of prospects) {
      const own = p.profile.location.district;
      for (const district of districts?.length ? districts : defaultDistricts(p.profile)) {
        const matched = matchIds(this.live.ruleset, p.profile, [district]);
        let live = 0;
        for (const id of matched) if (inForce.has(id)) live += 1;
        results.rows.push(p.row_no);
        results.districts.push(district);
        results.scenarios.push(own === district ? 'current-location' : 'relocation');
        results.measureIds.push(matched.join(' '));
        results.matchCounts.push(matched.length);
        results.inForceCounts.push(live);
      }
    }
    return results;
  }

  /** Marks a run (and its screening, when current) failed after repeated errors. */
  fail(screeningId: string, run: number, error: string): Promise<void> {
    return this.screenings.failRun(screeningId, run, error);
  }
}
