import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ScreeningRepository, type OpenDatabase } from '@matcher/persistence';
import { OPEN_DATABASE } from '../../database/database.module';
import { RulesetMismatch, ScreeningProcessor } from '../screening-processor.service';
import { ScreeningSettings } from '../screening-settings';
import { ScreeningStore } from '../screening-store.service';
import { InProcessQueue } from './in-process-queue';
import { PgBossQueue } from './pg-boss-queue';
import type { RunKey, RunQueue } from './run-queue';

const SWEEP_MS = 30_000;
/** An import whose request stopped touching it this long ago died with its process. */
/**
 * An import in flight touches its screening every 1,000 rows (seconds apart), so one untouched this long was left by
 * a process that died; another instance sharing the database may be importing, hence not zero outside the embedded case.
 */
const ABANDONED_IMPORT_MINUTES = 2;

/**
 * What the officer reads about a failure: the message of our own errors; for a database or programming error
 * (constraint names, "Cannot read properties of undefined") a plain sentence — the log has the details.
 */
export function publicReason(err: unknown): string {
  if (err instanceof QueryFailedError || err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError || !(err instanceof Error))
    return 'an internal error occurred (the details are in the service log); run the screening again, and tell the administrator if it recurs.';
  return err.message.slice(0, 300);
}
/** In-process retries of a failing run before it is marked failed (pg-boss counts its own). */
const IN_PROCESS_ATTEMPTS = 5;

/**
 * Starts the queue that screens runs — pg-boss on PostgreSQL, an in-process queue on the embedded database —
 * and the sweeper. On start, every unfinished run is queued again (resume); every SWEEP_MS a run without
 * progress for SCREENING_STALE_SECONDS is re-queued (its worker died). On shutdown (SIGTERM) workers stop
 * after the chunk in flight; in-process runs left unfinished become `paused` and resume at the next start.
 */
@Injectable()
export class ScreeningRunnerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Screenings');
  private queue?: RunQueue;
  private sweeper?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  /** Runs this process stopped between chunks at shutdown (in-process: marked paused). */
  private readonly stopped: RunKey[] = [];
  kind: 'pg-boss' | 'in-process' = 'in-process';

  constructor(
    private readonly screenings: ScreeningRepository,
    private readonly processor: ScreeningProcessor,
    private readonly store: ScreeningStore,
    private readonly settings: ScreeningSettings,
    @Inject(OPEN_DATABASE) private readonly db: OpenDatabase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const wanted = this.settings.SCREENING_RUNNER;
    this.kind = wanted === 'auto' ? (this.db.embedded ? 'in-process' : 'pg-boss') : wanted;
    if (this.kind === 'pg-boss' && this.db.embedded) {
      // pg-boss would open its own pool on the embedded database, whose socket server interleaves concurrent connections.
      throw new Error('SCREENING_RUNNER=pg-boss needs PostgreSQL (DATABASE_URL); the embedded database uses the in-process runner');
    }
    const workers = this.settings.SCREENING_WORKERS;
    const handler = this.handle.bind(this);
    if (this.kind === 'pg-boss') {
      this.queue = new PgBossQueue(this.db.url, workers, this.settings.SCREENING_STALE_SECONDS, handler);
    } else {
      this.queue = new InProcessQueue(workers, handler);
    }
    await this.queue.start();
    this.logger.log(`screening runner: ${this.kind}, ${workers} worker(s)${workers === 0 ? ' — this instance only queues' : ''}`);
    await this.sweep(true);
    this.sweeper = setInterval(() => void this.sweep(false), SWEEP_MS);
    this.sweeper.unref();
  }

  /** Queues a run for screening (after its rows and chunks are committed). */
  async schedule(screeningId: string, run: number): Promise<void> {
    await this.queue?.schedule({ screeningId, run }, { copies: this.settings.SCREENING_JOBS_PER_RUN });
  }

  private async handle(key: RunKey, isStopping: () => boolean, attempt: { retryCount: number; retryLimit: number }): Promise<void> {
    for (let tries = 1; ; tries++) {
      try {
        const mayReset = this.kind === 'in-process' || (await this.isStale(key));
        const outcome = await this.processor.drain(key.screeningId, key.run, { shouldStop: isStopping, mayReset });
        // pg-boss: the job ends with the process; a continuation job keeps the run queued for whoever is next.
        if (outcome === 'stopped' && this.kind === 'pg-boss') await this.queue?.schedule(key);
        if (outcome === 'stopped') this.stopped.push(key);
        return;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (err instanceof RulesetMismatch && this.kind === 'pg-boss') {
          this.logger.warn(message);
          throw err; // pg-boss retries later, by when the other version's worker has finished or gone stale
        }
        if (this.kind === 'pg-boss') {
          if (attempt.retryCount < attempt.retryLimit) throw err;
        } else if (tries < IN_PROCESS_ATTEMPTS && !isStopping()) {
          this.logger.warn(`screening ${key.screeningId} run ${key.run}: ${message}; retrying`);
          await new Promise((r) => setTimeout(r, 500 * 2 ** tries));
          continue;
        } else if (isStopping()) return;
        this.logger.error(`screening ${key.screeningId} run ${key.run} failed: ${message}`);
        await this.processor.fail(key.screeningId, key.run, `Screening stopped after repeated errors: ${publicReason(err)}`).catch(() => undefined);
        return;
      }
    }
  }

  private async isStale(key: RunKey): Promise<boolean> {
    const run = await this.store.run(key.screeningId, key.run);
    const last = run?.progressed_at ?? run?.created_at;
    return !last || Date.now() - new Date(last).getTime() > this.settings.SCREENING_STALE_SECONDS * 1000;
  }

  private sweep(startup: boolean): Promise<void> {
    this.sweeping ??= this.requeue(startup)
      .catch((err: unknown) => this.logger.error(`screening sweep: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async requeue(startup: boolean): Promise<void> {
    // The embedded database is this process's alone: at start, any import left is from a process that died.
    const abandoned = startup && this.db.embedded ? '0 minutes' : `${ABANDONED_IMPORT_MINUTES} minutes`;
    // Their half-stored rows are of no use: the officer uploads the file again.
    const failed = await this.screenings.failAbandonedImports(abandoned);
    if (failed) this.logger.warn(`${failed} interrupted upload(s) marked failed and their rows removed`);
    // An in-process queue without workers screens nothing; a pg-boss one still queues for other instances.
    if (!this.queue || (this.kind === 'in-process' && this.settings.SCREENING_WORKERS === 0)) return;
    const runs = await this.screenings.unfinishedRuns(startup, this.settings.SCREENING_STALE_SECONDS);
    if (startup && runs.length) this.logger.log(`resuming ${runs.length} unfinished screening run(s)`);
    for (const r of runs) await this.queue.schedule({ screeningId: r.screening_id, run: r.run }, { sweep: !startup });
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    await this.sweeping;
    await this.queue?.stop();
    if (this.kind === 'in-process' && this.stopped.length) {
      // What this process left unfinished waits, paused, for the next start (pg-boss keeps its runs queued).
      await this.screenings.pauseRuns(this.stopped);
    }
  }
}
