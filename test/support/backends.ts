import { createScratchDatabase, dropScratchDatabase } from './scratch';

/**
 * The persistence tiers run on both databases: the embedded PGlite always, PostgreSQL when
 * TEST_DATABASE_URL names a server (.ci/run sets it). Each PostgreSQL suite gets a fresh database.
 */
export interface Backend {
  name: 'pglite' | 'postgres';
  /** Creates an empty database and returns its URL (undefined = embedded, in memory). */
  create(): Promise<string | undefined>;
  drop(url: string | undefined): Promise<void>;
}

const adminUrl = process.env.TEST_DATABASE_URL;

const pglite: Backend = {
  name: 'pglite',
  create: () => Promise.resolve(undefined),
  drop: () => Promise.resolve(),
};

const postgres: Backend = {
  name: 'postgres',
  create: () => createScratchDatabase(adminUrl!, 'matcher_test'),
  drop: (url) => (url ? dropScratchDatabase(adminUrl!, url) : Promise.resolve()),
};

let warned = false;

/** The backends to run on; says once, clearly, when the PostgreSQL tier is skipped. */
export function backends(): Backend[] {
  if (!adminUrl) {
    if (!warned) {
      warned = true;
      process.stderr.write('PostgreSQL tier skipped: TEST_DATABASE_URL is not set (CI sets it; see README). Running on PGlite only.\n');
    }
    return [pglite];
  }
  return [pglite, postgres];
}
