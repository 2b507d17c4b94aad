import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import PgBoss from 'pg-boss';
import { EvaluationRepository, ScreeningRepository, type OpenDatabase } from '@matcher/persistence';
import { Environment } from '../config/environment';
import { OPEN_DATABASE } from '../database/database.module';
import { ScreeningSettings } from '../screenings/screening-settings';

export const RETENTION_QUEUE = 'retention';
/** Hourly: a record outlives its retention by an hour at most. */
const RETENTION_CRON = '7 * * * *';
const TIMER_MS = 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

export interface Purged {
  evaluations: number;
  screenings: number;
}

/**
 * Deletes what is kept no longer than its retention: evaluations older than AUDIT_RETENTION_DAYS, finished
 * screenings unchanged for SCREENING_RETENTION_DAYS (with their rows and results). Scheduled as the screenings'
 * runs are: by pg-boss on PostgreSQL (a cron schedule; whichever instance is free runs it, once), by a timer
 * in this process on the embedded database.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private boss?: PgBoss;
  private timer?: NodeJS.Timeout;
  private running?: Promise<Purged>;
  kind: 'pg-boss' | 'timer' = 'timer';

  constructor(
    private readonly evaluations: EvaluationRepository,
    private readonly screenings: ScreeningRepository,
    private readonly env: Environment,
    private readonly settings: ScreeningSettings,
    @Inject(OPEN_DATABASE) private readonly db: OpenDatabase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.db.embedded) {
      this.timer = setInterval(() => void this.purgeLogged(), TIMER_MS);
      this.timer.unref();
      void this.purgeLogged();
      return;
    }
    this.kind = 'pg-boss';
    this.boss = new PgBoss({ connectionString: this.db.url, max: 2, application_name: 'matcher-retention', schema: 'pgboss' });
    this.boss.on('error', (err) => this.logger.error(`pg-boss: ${err.message}`));
    await this.boss.start();
    if (!(await this.boss.getQueue(RETENTION_QUEUE)))
      await this.boss.createQueue(RETENTION_QUEUE, { name: RETENTION_QUEUE, retryLimit: 3, expireInSeconds: 3600 }).catch(async (err: unknown) => {
        // Another instance created it at the same moment.
        if (!(await this.boss!.getQueue(RETENTION_QUEUE))) throw err;
      });
    await this.boss.schedule(RETENTION_QUEUE, RETENTION_CRON, {}, { tz: 'Asia/Shanghai' });
    await this.boss.work(RETENTION_QUEUE, { batchSize: 1, pollingIntervalSeconds: 5 }, async () => {
      await this.purgeLogged();
    });
  }

  /** Runs the retention job now: queued to pg-boss on PostgreSQL (any instance takes it), here on the embedded database. */
  async runNow(): Promise<void> {
    if (this.boss) await this.boss.send(RETENTION_QUEUE, {});
    else await this.purge();
  }

  /** Deletes what has outlived its retention as of `now`; one purge at a time in this process. */
  purge(now = new Date()): Promise<Purged> {
    this.running ??= this.deleteExpired(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async deleteExpired(now: Date): Promise<Purged> {
    const evaluations = await this.evaluations.deleteCreatedBefore(new Date(now.getTime() - this.env.AUDIT_RETENTION_DAYS * DAY_MS));
    let screenings = 0;
    const cutoff = new Date(now.getTime() - this.settings.SCREENING_RETENTION_DAYS * DAY_MS);
    for (let ids = await this.screenings.finishedBefore(cutoff); ids.length; ids = await this.screenings.finishedBefore(cutoff)) {
      for (const id of ids) await this.screenings.remove(id);
      screenings += ids.length;
    }
    return { evaluations, screenings };
  }

  private async purgeLogged(): Promise<void> {
    try {
      const { evaluations, screenings } = await this.purge();
      if (evaluations || screenings) this.logger.log(`retention: ${evaluations} evaluation(s) and ${screenings} screening(s) deleted`);
    } catch (err) {
      this.logger.error(`retention failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    await this.boss?.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}
