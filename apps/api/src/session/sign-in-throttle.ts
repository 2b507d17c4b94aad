import { HttpStatus, Injectable } from '@nestjs/common';
import { ProblemException } from '../common/problem';

const WINDOW_MS = 15 * 60_000;
/** Failed sign-ins allowed per client address, and per key prefix (the guessed key's first characters), per window. */
export const FAILURES_PER_CLIENT = 10;
export const FAILURES_PER_PREFIX = 20;
const PREFIX_CHARS = 12;

interface Window {
  failures: number;
  resetAt: number;
}

/**
 * Failed sign-ins are counted per client and per key prefix; past the allowance further attempts are refused
 * with 429 and Retry-After until the window ends, whether or not the key is right. Successes cost nothing.
 */
@Injectable()
export class SignInThrottle {
  private readonly windows = new Map<string, Window>();

  check(client: string, key: string): void {
    const now = Date.now();
    for (const [id, limit] of this.ids(client, key)) {
      const w = this.windows.get(id);
      if (w && w.resetAt > now && w.failures >= limit) {
        const retryAfter = Math.max(1, Math.ceil((w.resetAt - now) / 1000));
        throw new ProblemException({
          type: 'about:blank#rate-limited',
          status: HttpStatus.TOO_MANY_REQUESTS,
          detail: `Too many failed sign-ins. Retry after ${retryAfter} s.`,
          retryAfter,
        });
      }
    }
  }

  failed(client: string, key: string): void {
    const now = Date.now();
    if (this.windows.size > 100_000) for (const [id, w] of this.windows) if (w.resetAt <= now) this.windows.delete(id);
    for (const [id] of this.ids(client, key)) {
      const w = this.windows.get(id);
      if (!w || w.resetAt <= now) this.windows.set(id, { failures: 1, resetAt: now + WINDOW_MS });
      else w.failures += 1;
    }
  }

  private ids(client: string, key: string): [string, number][] {
    return [
      [`client:${client}`, FAILURES_PER_CLIENT],
      [`prefix:${key.slice(0, PREFIX_CHARS)}`, FAILURES_PER_PREFIX],
    ];
  }
}
