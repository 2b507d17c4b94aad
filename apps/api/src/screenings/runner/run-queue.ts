/** A run to screen. */
export interface RunKey {
  screeningId: string;
  run: number;
}

/** What a queue calls for a run: screen it until done, gone or told to stop. */
export type RunHandler = (key: RunKey, isStopping: () => boolean, attempt: { retryCount: number; retryLimit: number }) => Promise<void>;

/** Where runs wait for a worker: pg-boss on PostgreSQL, an in-memory queue on the embedded database. */
export interface RunQueue {
  start(): Promise<void>;
  /** Queues a run; `sweep` marks a re-queue by the sweeper (deduplicated where the queue can). */
  schedule(key: RunKey, options?: { copies?: number; sweep?: boolean }): Promise<void>;
  stop(): Promise<void>;
}
