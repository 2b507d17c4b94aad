import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DISTRICTS, type CompanyProfile } from '@matcher/catalog';
import { matchProfile, type MatchOptions, type Ruleset } from '@matcher/engine';

/** Where the digest of the explained answers is recorded, with the catalog version it was taken on. */
export const DIGEST_FILE = join(__dirname, 'answer-digest.recorded.json');

export interface RecordedDigest {
  catalogVersion: string;
  profiles: number;
  seed: number;
  digest: string;
}

/** The option sets each profile is answered with: three dates, every district, fewer expired, a longer near-miss list. */
function optionsFor(i: number, asOf: string): MatchOptions {
  if (i % 5 === 0) return { asOf, districts: [...DISTRICTS] };
  if (i % 7 === 0) return { asOf, includeExpired: false, nearMissLimit: 50 };
  return { asOf };
}

/**
 * SHA-256 of the explained answers' JSON (matchProfile, as POST /match serialises it before adding text) for the
 * profiles, each as of three dates (in force, near the end of 2025, after it). A change to how answers are built
 * that should not change them (a faster path) must leave this digest as recorded.
 */
export function answerDigest(ruleset: Ruleset, profiles: readonly CompanyProfile[]): string {
  const hash = createHash('sha256');
  for (const asOf of ['2025-06-01', '2025-11-15', '2026-12-04'])
    for (let i = 0; i < profiles.length; i++) hash.update(JSON.stringify(matchProfile(ruleset, profiles[i], optionsFor(i, asOf))));
  return hash.digest('hex');
}

export function recordedDigest(): RecordedDigest {
  return JSON.parse(readFileSync(DIGEST_FILE, 'utf8')) as RecordedDigest;
}
