import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { EvaluationEntity } from '@matcher/persistence';
import { Environment } from '../config/environment';

export interface AuditStats {
  queued: number;
  written: number;
  /** Records dropped because the queue was full (database unreachable for long): counted, never silent. */
  dropped: number;
  lastError: string | null;
}

/**
 * Evaluations are recorded off the request path: queued in memory, written in batches, kept while the
 * database is unreachable (bounded), and flushed on graceful shutdown.
 */
@Injectable()
export class AuditService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private queue: EvaluationEntity[] = [];
  private written = 0;
  private dropped = 0;
  private lastError: string | null = null;
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.env.AUDIT_FLUSH_MS);
    this.timer.unref();
  }

  /** Queues an evaluation and returns its id at once. */
  record(kind: string, rulesetVersion: string, request: object, summary: Record<string, unknown>): string {
    const row = Object.assign(new EvaluationEntity(), { id: randomUUID(), createdAt: new Date(), kind, rulesetVersion, request: { ...request }, summary });
    if (this.queue.length >= this.env.AUDIT_QUEUE_LIMIT) {
      this.queue.shift();
      this.dropped += 1;
      if (this.dropped === 1 || this.dropped % 1000 === 0) this.logger.error(`audit queue full: ${this.dropped} records dropped so far`);
    }
    this.queue.push(row);
    return row.id;
  }

  /** A queued record not yet written, so a fresh evaluation is readable at once. */
  pending(id: string): EvaluationEntity | undefined {
    return this.queue.find((r) => r.id === id);
  }

  stats(): AuditStats {
    return { queued: this.queue.length, written: this.written, dropped: this.dropped, lastError: this.lastError };
  }

  flush(): Promise<void> {
    this.flushing ??= this.writeQueued().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, 500);
      try {
        await this.dataSource
          .createQueryBuilder()
          .insert()
          .into(EvaluationEntity)
          .values(batch as QueryDeepPartialEntity<EvaluationEntity>[])
          .orIgnore()
          .execute();
      } catch (err) {
        this.lastError = err instanceof Error ? err.message : String(err);
        return; // kept for the next attempt
      }
      this.queue.splice(0, batch.length);
      this.written += batch.length;
      this.lastError = null;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    for (let attempt = 0; attempt < 3 && this.queue.length > 0; attempt++) await this.flush();
    if (this.queue.length > 0) this.logger.error(`${this.queue.length} audit records could not be written before shutdown: ${this.lastError}`);
  }
}
