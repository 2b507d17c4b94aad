import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EvaluationEntity, EvaluationRepository } from '@matcher/persistence';
import type { AuditStats } from '@matcher/contracts';
import { Environment } from '../config/environment';

/** A refused record is reported as degraded for this long. */
const REJECTED_RECENTLY_MS = 5 * 60_000;

/** PostgreSQL error classes that belong to the record, not to the connection: data exceptions and constraint violations. */
const isRecordError = (err: unknown): boolean => {
  const code = (err as { driverError?: { code?: unknown }; code?: unknown }).driverError?.code ?? (err as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|23)/.test(code);
};

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 300);

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
  private rejected = 0;
  private rejectedAt = 0;
  private lastError: string | null = null;
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly evaluations: EvaluationRepository,
    private readonly env: Environment,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.env.AUDIT_FLUSH_MS);
    this.timer.unref();
  }

  /**
   * Queues an evaluation and returns its id at once. `officerId` is the officer whose key or session made it
   * (only they read it back); a public evaluation has none.
   */
  record(kind: string, rulesetVersion: string, request: object, summary: Record<string, unknown>, officerId: string | null = null): string {
    const row = Object.assign(new EvaluationEntity(), {
      id: randomUUID(),
      createdAt: new Date(),
      kind,
      rulesetVersion,
      officerId,
      request: { ...request },
      summary,
    });
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
    const degraded = this.lastError !== null || (this.rejected > 0 && Date.now() - this.rejectedAt < REJECTED_RECENTLY_MS);
    return {
      queued: this.queue.length,
      written: this.written,
      dropped: this.dropped,
      rejected: this.rejected,
      state: degraded ? 'degraded' : 'ok',
      lastError: this.lastError,
    };
  }

  flush(): Promise<void> {
    this.flushing ??= this.writeQueued().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, 500);
      try {
        await this.insert(batch);
      } catch (err) {
        this.lastError = messageOf(err);
        if (!isRecordError(err)) return; // the database is away: all kept for the next attempt
        // One bad record must not block the others: write them one by one and set the refused ones aside.
        if (!(await this.writeOneByOne(batch))) return;
        continue;
      }
      this.queue.splice(0, batch.length);
      this.written += batch.length;
      this.lastError = null;
    }
  }

  /** False when the database went away meanwhile (the unwritten rest stays queued). */
  private async writeOneByOne(batch: EvaluationEntity[]): Promise<boolean> {
    for (const record of batch) {
      try {
        await this.insert([record]);
        this.written += 1;
      } catch (err) {
        if (!isRecordError(err)) return false;
        this.rejected += 1;
        this.rejectedAt = Date.now();
        // The record's id and kind only: its request is a profile, which is never logged.
        this.logger.error(`audit record ${record.id} (${record.kind}) refused by the database and set aside: ${messageOf(err)}`);
      }
      const at = this.queue.indexOf(record);
      if (at >= 0) this.queue.splice(at, 1);
    }
    this.lastError = null;
    return true;
  }

  private insert(records: EvaluationEntity[]): Promise<void> {
    return this.evaluations.insert(records);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    for (let attempt = 0; attempt < 3 && this.queue.length > 0; attempt++) await this.flush();
    if (this.queue.length > 0) this.logger.error(`${this.queue.length} audit records could not be written before shutdown: ${this.lastError}`);
  }
}
