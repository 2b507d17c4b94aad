/** `npm run migration:run`: applies pending migrations to DATABASE_URL, or to the embedded database in DATA_DIR. */
import { openDatabase } from '@matcher/persistence';

async function main(): Promise<void> {
  const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR || './data' });
  try {
    const applied: { name: string }[] = await db.dataSource.query('SELECT name FROM migrations ORDER BY id');
    console.log(`schema current: ${applied.map((m) => m.name).join(', ')}`);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
