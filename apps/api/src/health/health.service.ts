import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HealthRepository } from '@matcher/persistence';
import type { HealthReport } from '@matcher/contracts';
import { AuditService } from '../audit/audit.service';
import { LiveRuleset } from '../catalog/live-ruleset.service';
import { Environment } from '../config/environment';
import { screeningSettingsFrom } from '../screenings/screening-settings';

type DatabaseState = HealthReport['database'];

/** How often the database is probed in the background, and how long a probe may take before it counts as down. */
const PROBE_EVERY_MS = 1000;
const PROBE_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService implements OnModuleInit, OnModuleDestroy {
  private last: DatabaseState | undefined;
  private inFlight: Promise<DatabaseState> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly database: HealthRepository,
    private readonly live: LiveRuleset,
    private readonly audit: AuditService,
    env: Environment,
  ) {
    this.retention = { evaluationDays: env.AUDIT_RETENTION_DAYS, screeningDays: screeningSettingsFrom(env).SCREENING_RETENTION_DAYS };
  }

  private readonly retention: HealthReport['retention'];

  onModuleInit(): void {
    this.timer = setInterval(() => void this.probe(), PROBE_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /**
   * Liveness, answered from memory: the database's state is the last background probe's (at most about three
   * seconds old). The embedded database has one connection, so a probe made per request would wait behind whatever
   * statements are queued (a large import) and /health would measure that queue rather than whether the service answers.
   */
  async report(): Promise<HealthReport> {
    return this.reportWith(this.last ?? (await this.probe()));
  }

  /** Readiness: the database probed now (a probe already in flight is shared). */
  async ready(): Promise<DatabaseState> {
    return this.probe();
  }

  private reportWith(database: DatabaseState): HealthReport {
    const audit = this.audit.stats();
    return {
      status: database === 'up' && audit.state === 'ok' ? 'ok' : 'degraded',
      rulesetVersion: this.live.ruleset.version,
      measures: this.live.ruleset.measures.size,
      database,
      audit,
      retention: this.retention,
    };
  }

  private probe(): Promise<DatabaseState> {
    this.inFlight ??= Promise.race([
      this.database.ping().then(
        () => 'up' as const,
        () => 'down' as const,
      ),
      new Promise<'down'>((resolve) => setTimeout(() => resolve('down'), PROBE_TIMEOUT_MS).unref()),
    ]).then((state) => {
      this.last = state;
      this.inFlight = undefined;
      return state;
    });
    return this.inFlight;
  }
}
