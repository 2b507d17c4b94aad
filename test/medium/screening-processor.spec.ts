import { statusOf, type Ruleset } from '@matcher/engine';
import { RulesetMismatch } from '../../apps/api/src/screenings/screening-processor.service';
import type { ScreeningResultRow } from '@matcher/contracts';
import type { ScreeningRow } from '@matcher/persistence';
import { aRule, aRuleset, leaf } from '../factories/rule.factory';
import { expectedResults, openScreeningFixture, prospects, type ScreeningFixture } from './screening-fixture';

/**
 * The screening processor on a real embedded database, without HTTP: a run is drained chunk by chunk into
 * exactly one result per prospect and district, equal to what the engine computes for the same profile; a
 * stopped run resumes where it stopped; a run begun on another ruleset is refused or restarted.
 */

jest.setTimeout(30_000);

const AS_OF = '2025-06-01';
const CHUNK_ROWS = 4;
const PROFILES = prospects(22); // 6 chunks of at most 4 rows
const CHUNKS = Math.ceil(PROFILES.length / CHUNK_ROWS);

let fx: ScreeningFixture;

beforeAll(async () => {
  fx = await openScreeningFixture({ SCREENING_CHUNK_ROWS: String(CHUNK_ROWS) });
}, 120_000); // PGlite start-up, migrations and the catalog seed; slow only on a busy machine

afterAll(async () => {
  await fx?.close();
});

const run = (s: ScreeningRow, shouldStop = () => false, mayReset = false) => fx.processor.drain(s.id, s.current_run, { shouldStop, mayReset });

/** A drain that ran to the end, whether it screened the last chunk itself or found none left to claim. */
const FINISHED = 'done';

/** Stops after `chunks` chunks: shouldStop is asked once before each. */
const stopAfter = (chunks: number): (() => boolean) => {
  let asked = 0;
  return () => asked++ >= chunks;
};

/** Every stored result of the screening's current run, in row order, read through the results service. */
async function stored(s: ScreeningRow): Promise<ScreeningResultRow[]> {
  const items: ScreeningResultRow[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await fx.results.results(s, { limit: 500, offset });
    items.push(...page.items);
    if (items.length >= page.total) return items;
  }
}

const keyed = (items: ScreeningResultRow[]) =>
  items.map((i) => ({ row: i.row, district: i.district, scenario: i.scenario, ids: i.measures.map((m) => m.measureId) }));

function inForceCount(ruleset: Ruleset, ids: string[], asOf: string): number {
  return ids.filter((id) => statusOf(ruleset.measures.get(id)!.validity, asOf) === 'in-force').length;
}

test('a run is drained into exactly one result per prospect and district, as the engine matches them', async () => {
  const s = await fx.screen(PROFILES, { asOf: AS_OF });
  await expect(run(s)).resolves.toBe(FINISHED);

  const expected = expectedResults(fx.ruleset, PROFILES);
  // other-shanghai prospects are evaluated in all three districts (relocation), the others in their own.
  expect(expected).toHaveLength(PROFILES.length + 2 * PROFILES.filter((p) => p.location.district === 'other-shanghai').length);
  // The prospects differ: their match counts spread over several values.
  expect(new Set(expected.map((e) => e.ids.length)).size).toBeGreaterThan(2);

  const items = await stored(s);
  expect(keyed(items)).toEqual(expected);
  for (const item of items) {
    expect(item.matchCount).toBe(item.measures.length);
    expect(item.inForceCount).toBe(
      inForceCount(
        fx.ruleset,
        item.measures.map((m) => m.measureId),
        AS_OF,
      ),
    );
  }
  // The date is pinned: at least one matched measure is in force on it, and none would be today (they ended 2025-12-31).
  expect(items.some((i) => i.inForceCount > 0)).toBe(true);

  const [runRow] = await fx.screenings.runs(s.id);
  expect(fx.store.runView(runRow)).toMatchObject({
    run: 1,
    rulesetVersion: fx.ruleset.version,
    asOf: AS_OF,
    state: 'completed',
    chunksTotal: CHUNKS,
    chunksDone: CHUNKS,
    rowsDone: PROFILES.length,
    resultsStored: expected.length,
  });
  expect((await fx.store.screening(s.id))?.state).toBe('completed');

  // Draining a completed run again writes nothing.
  await expect(run(s)).resolves.toBe('gone');
  expect(await stored(s)).toHaveLength(expected.length);
});

test('the screening districts replace each prospect default: every prospect is evaluated in exactly those', async () => {
  const profiles = PROFILES.slice(0, 9);
  const s = await fx.screen(profiles, { asOf: AS_OF, districts: ['qingpu', 'xuhui'] });
  await expect(run(s)).resolves.toBe(FINISHED);
  const expected = expectedResults(fx.ruleset, profiles, ['qingpu', 'xuhui']);
  expect(expected).toHaveLength(2 * profiles.length);
  expect(keyed(await stored(s))).toEqual(expected);
});

test('a stopped run keeps the chunks it finished and resumes with the rest, writing no result twice', async () => {
  const s = await fx.screen(PROFILES, { asOf: AS_OF });
  await expect(run(s, stopAfter(2))).resolves.toBe('stopped');

  const firstTwoChunks = expectedResults(fx.ruleset, PROFILES).filter((e) => e.row <= 2 * CHUNK_ROWS);
  expect(keyed(await stored(s))).toEqual(firstTwoChunks);
  let runRow = (await fx.store.run(s.id, 1))!;
  expect(fx.store.runView(runRow)).toMatchObject({ state: 'running', chunksDone: 2, rowsDone: 2 * CHUNK_ROWS, resultsStored: firstTwoChunks.length });
  expect((await fx.store.screening(s.id))?.state).toBe('running');

  // Another processor (a restarted instance) picks up the remaining chunks.
  await expect(fx.processorFor(fx.ruleset).drain(s.id, 1, { shouldStop: () => false, mayReset: false })).resolves.toBe(FINISHED);
  const expected = expectedResults(fx.ruleset, PROFILES);
  expect(keyed(await stored(s))).toEqual(expected);
  runRow = (await fx.store.run(s.id, 1))!;
  expect(fx.store.runView(runRow)).toMatchObject({ state: 'completed', chunksDone: CHUNKS, rowsDone: PROFILES.length, resultsStored: expected.length });
});

test('a cancelled screening stops its run after the chunk in flight', async () => {
  const s = await fx.screen(PROFILES, { asOf: AS_OF });
  await expect(run(s, stopAfter(1))).resolves.toBe('stopped');
  await expect(fx.store.cancel(s.id)).resolves.toBe(true);
  await expect(run(s)).resolves.toBe('gone');
  expect(keyed(await stored(s))).toEqual(expectedResults(fx.ruleset, PROFILES).filter((e) => e.row <= CHUNK_ROWS));
  expect((await fx.store.run(s.id, 1))?.state).toBe('cancelled');
});

describe('a run begun on another ruleset version', () => {
  // Another rules release: one Jing'an measure for software companies, one Qingpu measure for high-tech enterprises.
  const other = aRuleset([
    aRule({ id: 'other-jingan-software', district: 'jingan', conditions: [leaf.sectors(['digital/software'])] }),
    aRule({ id: 'other-qingpu-hightech', district: 'qingpu', conditions: [leaf.hasAny('qualifications', ['high-tech-enterprise'])] }),
  ]);

  test('is adopted when none of its chunks is done', async () => {
    const s = await fx.screen(PROFILES, { asOf: AS_OF });
    await expect(fx.processorFor(other).drain(s.id, 1, { shouldStop: () => false, mayReset: false })).resolves.toBe(FINISHED);
    const expected = expectedResults(other, PROFILES);
    expect(expected.filter((e) => e.ids.length).length).toBeGreaterThan(0);
    expect((await fx.store.run(s.id, 1))?.ruleset_version).toBe(other.version);
    // Read through the other ruleset's results service would name these measures; the stored ids are what matter here.
    expect(keyed(await stored(s))).toEqual(expected);
  });

  test('is refused while another worker may still be on it, and restarted from scratch when allowed', async () => {
    const s = await fx.screen(PROFILES, { asOf: AS_OF });
    await expect(run(s, stopAfter(3))).resolves.toBe('stopped');
    const before = await stored(s);
    expect(before.length).toBeGreaterThan(0);

    const processor = fx.processorFor(other);
    await expect(processor.drain(s.id, 1, { shouldStop: () => false, mayReset: false })).rejects.toBeInstanceOf(RulesetMismatch);
    expect(await stored(s)).toEqual(before);
    expect(fx.store.runView((await fx.store.run(s.id, 1))!)).toMatchObject({ rulesetVersion: fx.ruleset.version, chunksDone: 3 });

    await expect(processor.drain(s.id, 1, { shouldStop: () => false, mayReset: true })).resolves.toBe(FINISHED);
    const expected = expectedResults(other, PROFILES);
    expect(keyed(await stored(s))).toEqual(expected);
    expect(fx.store.runView((await fx.store.run(s.id, 1))!)).toMatchObject({
      rulesetVersion: other.version,
      state: 'completed',
      chunksDone: CHUNKS,
      rowsDone: PROFILES.length,
      resultsStored: expected.length,
    });
  });
});
