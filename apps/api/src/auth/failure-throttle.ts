import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem';

const WINDOW_MS = 15 * 60_000;
/** The guessed key's first characters: what a guesser varies least. */
const PREFIX_CHARS = 12;

interface Window {
  failures: number;
  resetAt: number;
}

/**
 * Failed key attempts counted per client address and per key prefix in 15-minute windows; past either allowance
 * further attempts are refused with 429 and Retry-After until the window ends, whether or not the key is right.
 * Successes cost nothing. One instance per door (the sign-in form, keys sent in headers).
 */
export class FailureThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly perClient: number,
    private readonly perPrefix: number,
    /** "sign-ins", "API key attempts": for the message. */
    private readonly what: string,
  ) {}

  check(client: string, key: string): void {
    const now = Date.now();
    for (const [id, limit] of this.ids(client, key)) {
      const w = this.windows.get(id);
      if (w && w.resetAt > now && w.failures >= limit) {
        const retryAfter = Math.max(1, Math.ceil((w.resetAt - now) / 1000));
        throw new ProblemException({
          type: 'about:blank#rate-limited',
          status: HttpStatus.TOO_MANY_REQUESTS,
          detail: `Too many failed ${this.what}. Retry after ${retryAfter} s.`,
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
      [`client:${client}`, this.perClient],
      [`prefix:${key.slice(0, PREFIX_CHARS)}`, this.perPrefix],
    ];
  }
}

/** The Retry-After a throttle's 429 carries, for the response header. */
export function retryAfterOf(err: unknown): number | undefined {
  if (!(err instanceof ProblemException)) return undefined;
  const body = err.getResponse() as { retryAfter?: unknown };
  return typeof body.retryAfter === 'number' ? body.retryAfter : undefined;
}
