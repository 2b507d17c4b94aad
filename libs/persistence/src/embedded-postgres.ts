import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A postgres:// URL the ordinary `pg` driver connects to. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite inside the process behind a PostgreSQL wire-protocol socket on 127.0.0.1, so TypeORM uses the
 * same `postgres` driver, transactions and code path as against a real server. `dataDir` undefined = in memory.
 */
export async function startEmbeddedPostgres(dataDir?: string): Promise<EmbeddedPostgres> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  // PGlite is one session: the socket server multiplexes client connections onto it, serving one transaction
  // at a time. Its default of a single connection made every second pooled connection fail ("Connection
  // terminated unexpectedly") as soon as two queries ran at once; allow as many as the pool opens (max 10).
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 10 });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
