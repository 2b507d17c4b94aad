import { Injectable } from '@nestjs/common';
import { HealthRepository } from '@matcher/persistence';
import type { HealthReport } from '@matcher/contracts';
import { AuditService } from '../audit/audit.service';
import { LiveRuleset } from '../catalog/live-ruleset.service';

@Injectable()
export class HealthService {
  constructor(
    private readonly database: HealthRepository,
    private readonly live: LiveRuleset,
    private readonly audit: AuditService,
  ) {}

  async report(): Promise<HealthReport> {
    const database = await this.databaseState();
    const audit = this.audit.stats();
    return {
      status: database === 'up' && audit.state === 'ok' ? 'ok' : 'degraded',
      rulesetVersion: this.live.ruleset.version,
      measures: this.live.ruleset.measures.size,
      database,
      audit,
    };
  }

  private async databaseState(): Promise<'up' | 'down'> {
    const timeout = new Promise<'down'>((resolve) => setTimeout(() => resolve('down'), 2000).unref());
    const probe = this.database.ping().then(
      () => 'up' as const,
      () => 'down' as const,
    );
    return Promise.race([probe, timeout]);
  }
}
