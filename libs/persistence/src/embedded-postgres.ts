import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EmbeddedPostgresReply, EmbeddedPostgresRequest, EmbeddedPostgresWorkerData } from './embedded-postgres.worker';

export interface EmbeddedPostgres {
  /** A postgres:// URL the ordinary `pg` driver connects to. */
  url: string;
  stop(): Promise<void>;
}

/** How long a worker that has answered (or failed) may take to end by itself before it is terminated. */
const EXIT_GRACE_MS = 5_000;

/**
 * Starts PGlite behind a PostgreSQL wire-protocol socket on 127.0.0.1, so TypeORM uses the same `postgres` driver,
 * transactions and code path as against a real server. Both run in a worker thread (embedded-postgres.worker.ts):
 * PGlite executes each statement synchronously on its own thread, and that is then not the thread serving requests.
 * `dataDir` undefined = in memory. Rejects with the worker's own message when PGlite cannot open `dataDir`.
 */
export async function startEmbeddedPostgres(dataDir?: string): Promise<EmbeddedPostgres> {
  const ext = extname(__filename);
  const worker = new Worker(join(__dirname, `embedded-postgres.worker${ext}`), {
    workerData: { dataDir } satisfies EmbeddedPostgresWorkerData,
    // From source (dev, tests, scripts) the worker compiles its TypeScript as the process does.
    execArgv: ext === '.ts' ? ['-r', '@swc-node/register'] : [],
    name: 'embedded-postgres',
  });
  let stopping = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const ended = async (): Promise<void> => {
    const timer = setTimeout(() => void worker.terminate(), EXIT_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  const conn = await new Promise<string>((resolve, reject) => {
    worker.on('message', (reply: EmbeddedPostgresReply) => {
      if (reply.kind === 'listening') resolve(reply.conn);
      else if (reply.kind === 'failed') reject(Object.assign(new Error(reply.message), reply.code ? { code: reply.code } : {}));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`The embedded database's worker exited (code ${code}) before it was listening.`)));
  }).catch(async (err: unknown) => {
    stopping = true;
    await ended();
    throw err;
  });

  // Once running, the worker ending by itself means the database is gone and every query fails on a refused
  // connection: say why, once, where the query failures are logged.
  worker.on('error', (err) => {
    if (!stopping) logError(`the embedded database's worker failed: ${err.stack ?? err.message}`);
  });
  worker.on('exit', (code) => {
    if (!stopping) logError(`the embedded database's worker exited unexpectedly (code ${code}); database queries will fail`);
  });

  return {
    url: `postgres://postgres@${conn}/postgres`,
    async stop() {
      if (stopping) return exited;
      stopping = true;
      const answer = new Promise<EmbeddedPostgresReply | undefined>((resolve) => {
        worker.on('message', (reply: EmbeddedPostgresReply) => {
          if (reply.kind === 'stopped' || reply.kind === 'stop-failed') resolve(reply);
        });
        void exited.then(() => resolve(undefined));
      });
      worker.postMessage({ kind: 'stop' } satisfies EmbeddedPostgresRequest);
      // The worker closes PGlite (its files written out) before it answers; only then may it be terminated.
      const reply = await answer;
      await ended();
      if (reply === undefined) throw new Error("The embedded database's worker exited before it had closed the database.");
      if (reply.kind === 'stop-failed') throw new Error(`Closing the embedded database failed: ${reply.message}`);
    },
  };
}

/** The same JSON line as QueryErrorLogger's, on stderr. */
function logError(msg: string): void {
  process.stderr.write(`${JSON.stringify({ level: 'error', context: 'Database', msg })}\n`);
}
