/**
 * The explained answers, byte for byte: matchProfile's JSON for 2,000 generated profiles (each as of three dates and
 * under several options) hashes to the digest recorded in scripts/bench/answer-digest.recorded.json. A change meant
 * only to make answers faster must keep it. When the catalog or the answer's content changes on purpose, review the
 * change and record the new digest with `npm run bench:digest -- --record`.
 */
import { loadCatalog } from '@matcher/catalog';
import { Ruleset } from '@matcher/engine';
import { answerDigest, recordedDigest } from '../../scripts/bench/answer-digest';
import { generateProfiles } from '../../scripts/bench/profiles';

test('the explained answers are byte for byte those recorded', () => {
  const catalog = loadCatalog();
  const recorded = recordedDigest();
  // A catalog edit changes answers legitimately: say so instead of reporting a digest mismatch alone.
  expect({ catalogVersion: catalog.version }).toEqual({ catalogVersion: recorded.catalogVersion });
  const digest = answerDigest(new Ruleset(catalog), generateProfiles(recorded.profiles, recorded.seed));
  expect(digest).toBe(recorded.digest);
}, 60_000);
