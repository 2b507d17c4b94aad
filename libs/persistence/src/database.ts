import { resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource } from './data-source';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

export interface DatabaseConfig {
  /** A real PostgreSQL server; when absent the embedded PGlite is started. */
  databaseUrl?: string;
  /** Where the embedded database keeps its files; `memory://` keeps nothing. */
  dataDir: string;
}

export interface OpenDatabase {
  dataSource: DataSource;
  /** The connection URL (the embedded server's socket when embedded): for clients with pools of their own, such as pg-boss. */
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/** Connects (starting the embedded server when no URL is configured) and runs pending migrations. */
export async function openDatabase(config: DatabaseConfig): Promise<OpenDatabase> {
  let embedded: EmbeddedPostgres | undefined;
  const url = config.databaseUrl ?? (embedded = await startEmbeddedPostgres(config.dataDir === 'memory://' ? undefined : resolve(config.dataDir))).url;
  const dataSource = createDataSource(url);
  if (embedded) {
    // PGlite is one session, and its socket server interleaves the protocol messages of concurrent connections
    // outside a transaction: two parameterised queries at once could bind one's parameters to the other's
    // statement ("bind message supplies 1 parameters, but prepared statement requires 6"). One pooled
    // connection serialises them in the driver instead — PGlite runs one statement at a time anyway.
    dataSource.setOptions({ extra: { ...(dataSource.options.extra as object), max: 1 } });
  }
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (err) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw err;
  }
  return {
    dataSource,
    url,
    embedded: embedded !== undefined,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}

/** The names of the migrations applied to the database, oldest first. */
export async function appliedMigrations(dataSource: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await dataSource.query('SELECT name FROM migrations ORDER BY id');
  return rows.map((m) => m.name);
}
