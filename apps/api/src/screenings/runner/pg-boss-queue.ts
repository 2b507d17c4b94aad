import { Logger } from '@nestjs/common';
import PgBoss from 'pg-boss';
import type { RunHandler, RunKey, RunQueue } from './run-queue';

export const SCREENING_QUEUE = 'screening-run';

/**
 * Runs through pg-boss on PostgreSQL: a job per run (or several, so workers on several instances share one
 * run's chunks), fetched by whichever instance is free. pg-boss creates and migrates its own schema
 * (`pgboss`). A job whose worker died is retried by pg-boss when it expires; the runner's sweeper re-queues
 * a stalled run sooner. Duplicate jobs are harmless: chunks are claimed in the database.
 */
export class PgBossQueue implements RunQueue {
  private readonly logger = new Logger('Screenings');
  private readonly boss: PgBoss;
  private stopping = false;
  private readonly workerIds: string[] = [];

  constructor(
    connectionString: string,
    private readonly workers: number,
    private readonly staleSeconds: number,
    private readonly handle: RunHandler,
  ) {
    this.boss = new PgBoss({ connectionString, max: Math.max(2, workers + 1), application_name: 'matcher-screenings', schema: 'pgboss' });
    this.boss.on('error', (err) => this.logger.error(`pg-boss: ${err.message}`));
  }

  async start(): Promise<void> {
    await this.boss.start();
    if (!(await this.boss.getQueue(SCREENING_QUEUE))) {
      await this.boss
        .createQueue(SCREENING_QUEUE, {
          name: SCREENING_QUEUE,
          retryLimit: 5,
          retryDelay: 2,
          retryBackoff: true,
          expireInSeconds: 4 * 3600,
          retentionMinutes: 24 * 60,
        })
        .catch(async (err: unknown) => {
          // Another instance created it at the same moment.
          if (!(await this.boss.getQueue(SCREENING_QUEUE))) throw err;
        });
    }
    for (let i = 0; i < this.workers; i++) {
      const id = await this.boss.work<RunKey>(SCREENING_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1, includeMetadata: true }, async ([job]) => {
        await this.handle(job.data, () => this.stopping, { retryCount: job.retryCount, retryLimit: job.retryLimit });
      });
      this.workerIds.push(id);
    }
  }

  async schedule(key: RunKey, options: { copies?: number; sweep?: boolean } = {}): Promise<void> {
    if (options.sweep) {
      // At most one sweeper job per run and stale period, whichever instance sends it.
      await this.boss.send(SCREENING_QUEUE, key, { singletonKey: `${key.screeningId}:${key.run}`, singletonSeconds: this.staleSeconds });
      return;
    }
    const copies = Math.max(1, options.copies ?? 1);
    await this.boss.insert(Array.from({ length: copies }, () => ({ name: SCREENING_QUEUE, data: key })));
    // Wake this instance's idle workers now rather than at their next poll.
    if (!this.stopping) for (const id of this.workerIds) this.boss.notifyWorker(id);
  }

  /** Workers stop after their chunk in flight (their handlers queue a continuation), then pg-boss closes. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.boss.stop({ graceful: true, wait: true, timeout: 30_000 });
  }
}
