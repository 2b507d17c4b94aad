import { mkdirSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** What the worker tells the thread that started it. */
export type EmbeddedPostgresReply =
  | { kind: 'listening'; conn: string }
  | { kind: 'failed'; message: string; code?: string; stack?: string }
  | { kind: 'stopped' }
  | { kind: 'stop-failed'; message: string; stack?: string };

/** What the starting thread asks of the worker. */
export type EmbeddedPostgresRequest = { kind: 'stop' };

export interface EmbeddedPostgresWorkerData {
  /** undefined = in memory. */
  dataDir?: string;
}

/**
 * PGlite and its socket server, in a worker thread of their own: every statement runs here, never on the thread that
 * serves HTTP requests, which only speaks the wire protocol to 127.0.0.1 through `pg`.
 */
async function main(port: NonNullable<typeof parentPort>, data: EmbeddedPostgresWorkerData): Promise<void> {
  let db: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    if (data.dataDir) mkdirSync(data.dataDir, { recursive: true });
    db = await PGlite.create(data.dataDir ? { dataDir: data.dataDir } : {});
    // PGlite is one session: the socket server multiplexes client connections onto it, serving one transaction
    // at a time. Its default of a single connection made every second pooled connection fail ("Connection
    // terminated unexpectedly") as soon as two queries ran at once; allow as many as the pool opens (max 10).
    server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 10 });
    await server.start();
  } catch (err) {
    await db?.close().catch(() => undefined);
    port.postMessage(failure(err) satisfies EmbeddedPostgresReply);
    port.close();
    return;
  }
  const running = { db, server };
  port.on('message', (request: EmbeddedPostgresRequest) => {
    if (request.kind !== 'stop') return;
    // Closing PGlite writes its files out, so the data directory is whole for the next process that opens it.
    void (async () => {
      try {
        await running.server.stop();
        await running.db.close();
        port.postMessage({ kind: 'stopped' } satisfies EmbeddedPostgresReply);
      } catch (err) {
        const { message, stack } = failure(err);
        port.postMessage({ kind: 'stop-failed', message, stack } satisfies EmbeddedPostgresReply);
      } finally {
        port.close();
      }
    })();
  });
  port.postMessage({ kind: 'listening', conn: running.server.getServerConn() } satisfies EmbeddedPostgresReply);
}

/** An error crosses the thread boundary as data: its message (and code, such as EACCES) is what the caller sees. */
function failure(err: unknown): { kind: 'failed'; message: string; code?: string; stack?: string } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { kind: 'failed', message: err.message, ...(typeof code === 'string' ? { code } : {}), ...(err.stack ? { stack: err.stack } : {}) };
  }
  return { kind: 'failed', message: String(err) };
}

if (parentPort) void main(parentPort, (workerData ?? {}) as EmbeddedPostgresWorkerData);
