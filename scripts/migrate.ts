/** `npm run migration:run`: applies pending migrations to DATABASE_URL, or to the embedded database in DATA_DIR. */
import { appliedMigrations, openDatabase } from '@matcher/persistence';

async function main(): Promise<void> {
  const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR || './data' });
  try {
    console.log(`schema current: ${(await appliedMigrations(db.dataSource)).join(', ')}`);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
