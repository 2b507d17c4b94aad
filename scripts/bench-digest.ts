/**
 * npm run bench:digest — the SHA-256 of the explained answers for the recorded profile set (scripts/bench/answer-digest.ts),
 * compared with the recorded one; `-- --record` records it (with the catalog version) after a deliberate change.
 */
import { writeFileSync } from 'node:fs';
import { loadCatalog } from '@matcher/catalog';
import { Ruleset } from '@matcher/engine';
import { answerDigest, DIGEST_FILE, recordedDigest, type RecordedDigest } from './bench/answer-digest';
import { generateProfiles } from './bench/profiles';

const catalog = loadCatalog();
const recorded = recordedDigest();
const digest = answerDigest(new Ruleset(catalog), generateProfiles(recorded.profiles, recorded.seed));
if (process.argv.includes('--record')) {
  const next: RecordedDigest = { ...recorded, catalogVersion: catalog.version, digest };
  writeFileSync(DIGEST_FILE, `${JSON.stringify(next, null, 2)}\n`);
  process.stdout.write(`recorded ${digest} (catalog ${catalog.version})\n`);
} else {
  const same = digest === recorded.digest && catalog.version === recorded.catalogVersion;
  process.stdout.write(`${same ? 'unchanged' : 'CHANGED'}: ${digest} (recorded ${recorded.digest}, catalog ${catalog.version})\n`);
  process.exitCode = same ? 0 : 1;
}
