import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Ruleset } from '@matcher/engine';
import { AuditService, type AuditStats } from '../audit/audit.service';
import { LiveRuleset } from '../catalog/live-ruleset.service';

export interface HealthReport {
  status: 'ok';
  rulesetVersion: string;
  measures: number;
  database: 'up' | 'down';
  audit: AuditStats;
}

@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveRuleset,
    private readonly audit: AuditService,
  ) {}

  /** The ruleset this request is pinned to (the live one outside a request). */
  private get ruleset(): Ruleset {
    return this.live.ruleset;
  }

  async report(): Promise<HealthReport> {
    return {
      status: 'ok',
      rulesetVersion: this.ruleset.version,
      measures: this.ruleset.measures.size,
      database: await this.databaseState(),
      audit: this.audit.stats(),
    };
  }

  private async databaseState(): Promise<'up' | 'down'> {
    const timeout = new Promise<'down'>((resolve) => setTimeout(() => resolve('down'), 2000).unref());
    const probe = this.dataSource.query('SELECT 1').then(
      () => 'up' as const,
      () => 'down' as const,
    );
    return Promise.race([probe, timeout]);
  }
}
