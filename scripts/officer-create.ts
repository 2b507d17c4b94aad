/**
 * `npm run officer:create -- --name "王芳" [--admin]`: creates an officer and prints the new API key alone on the
 * last line. Works while the service is stopped (it opens the database itself: DATABASE_URL or DATA_DIR).
 */
import { parseArgs } from 'node:util';
import { createOfficerWithKey, openDatabase } from '@matcher/persistence';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { name: { type: 'string' }, admin: { type: 'boolean', default: false } }, strict: true });
  const name = values.name?.trim();
  if (!name) throw new Error('usage: npm run officer:create -- --name "<name>" [--admin]');
  const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR || './data' });
  try {
    const { officer, key } = await createOfficerWithKey(db.dataSource, name, values.admin ? 'admin' : 'officer');
    console.log(`created ${officer.role} "${officer.name}" (${officer.id}); the key is shown only now:`);
    console.log(key);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
