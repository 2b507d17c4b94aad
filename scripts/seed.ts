/** `npm run seed`: migrates and writes the catalog into the configured database (idempotent). */
import { loadCatalog } from '@matcher/catalog';
import { openDatabase, seedCatalog } from '@matcher/persistence';

async function main(): Promise<void> {
  const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR || './data' });
  try {
    const result = await seedCatalog(db.dataSource, loadCatalog(), { force: process.argv.includes('--force') });
    const c = result.counts;
    console.log(
      `${result.seeded ? 'seeded' : 'already current'}: ruleset ${result.rulesetVersion}; ${c.districts} districts, ${c.departments} departments, ${c.documents} documents, ${c.measures} measures`,
    );
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
