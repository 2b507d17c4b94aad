import type { Logger as TypeOrmLogger } from 'typeorm';

/** Identical failures within this window are counted, not repeated (a retry loop against a down database). */
const REPEAT_WINDOW_MS = 60_000;

/**
 * TypeORM's own loggers print a failed query with all its parameters — whole batches of profiles, names of
 * screenings and officers. This one logs the error and the start of the statement only, never a parameter,
 * and folds repeats of the same failure into one line a minute.
 */
export class QueryErrorLogger implements TypeOrmLogger {
  private last = { key: '', at: 0, repeats: 0 };

  constructor(private readonly write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) {}

  logQueryError(error: string | Error, query: string): void {
    const message = (typeof error === 'string' ? error : error.message).replace(/\s+/g, ' ').slice(0, 300);
    const statement = query.replace(/\s+/g, ' ').trim().slice(0, 120);
    const key = `${message}\u0000${statement}`;
    const now = Date.now();
    if (key === this.last.key && now - this.last.at < REPEAT_WINDOW_MS) {
      this.last.repeats += 1;
      return;
    }
    const repeated = this.last.repeats ? ` (the previous failure repeated ${this.last.repeats} more times)` : '';
    this.last = { key, at: now, repeats: 0 };
    this.write(JSON.stringify({ level: 'error', context: 'Database', msg: `query failed: ${message}`, statement, note: repeated.trim() || undefined }));
  }

  logQuery(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.write(JSON.stringify({ level: 'warn', context: 'Database', msg: String(message).slice(0, 300) }));
  }
}
