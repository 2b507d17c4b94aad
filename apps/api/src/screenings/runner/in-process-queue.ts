import { Logger } from '@nestjs/common';
import type { RunHandler, RunKey, RunQueue } from './run-queue';

const keyOf = (k: RunKey): string => `${k.screeningId}:${k.run}`;

/**
 * Runs in this process, one worker per run (the embedded database is one session, so its row locks do not
 * keep two workers of one process apart), up to `workers` runs at a time, in the order queued.
 */
export class InProcessQueue implements RunQueue {
  private readonly waiting: RunKey[] = [];
  private readonly known = new Set<string>();
  private readonly sleepers: (() => void)[] = [];
  private readonly loops: Promise<void>[] = [];
  private stopping = false;
  private readonly logger = new Logger('Screenings');

  constructor(
    private readonly workers: number,
    private readonly handle: RunHandler,
  ) {}

  start(): Promise<void> {
    for (let i = 0; i < this.workers; i++) this.loops.push(this.loop());
    return Promise.resolve();
  }

  schedule(key: RunKey): Promise<void> {
    const k = keyOf(key);
    if (this.known.has(k) || this.stopping) return Promise.resolve();
    this.known.add(k);
    this.waiting.push(key);
    this.sleepers.shift()?.();
    return Promise.resolve();
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const key = this.waiting.shift();
      if (!key) {
        await new Promise<void>((resolve) => this.sleepers.push(resolve));
        continue;
      }
      try {
        await this.handle(key, () => this.stopping, { retryCount: 0, retryLimit: 0 });
      } catch (err) {
        // The handler records failures itself; whatever escapes must not stop this worker.
        this.logger.error(`screening ${key.screeningId} run ${key.run}: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        this.known.delete(keyOf(key));
      }
    }
  }

  /** Stops taking runs; resolves when each worker has finished the chunk in flight. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of this.sleepers.splice(0)) wake();
    await Promise.all(this.loops);
  }
}
