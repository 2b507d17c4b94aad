/**
 * Differential test: the compiled evaluator against json-rules-engine on every real rule, over arbitrary
 * profiles from the whole profile v1 space (+ extension fields). Per rule and per leaf: the same raw result,
 * the same unknown-ness, the same pass/fail; and the three-valued verdict consistent with both.
 *
 * Random by default; FC_SEED=<n> replays a run (fast-check prints the seed and the shrunk profile on failure).
 */
import fc from 'fast-check';
import { propertyRuns } from '../support/property-runs';
import { oracleOf } from '@matcher/engine/testing';
import { allowedCodes, DISTRICTS, EXTENSION_CODES, isLeaf, leavesOf, loadCatalog, type CompanyProfile, type RuleDefinition } from '@matcher/catalog';
import { createReferenceEngine, profileIn, Ruleset, runReference, TRUE, FALSE, UNKNOWN } from '@matcher/engine';

const MIN_PAIRS = propertyRuns(200_000);

const catalog = loadCatalog();
const ruleset = new Ruleset(catalog);
/**
 * json-rules-engine on the rules' conditions exactly as written. The event (the measure record) plays no
 * part in evaluation, but the engine deep-clones it into every result of every run; carrying only the
 * measure id keeps 200,000 pairs fast.
 */
const engines = new Map(
  DISTRICTS.map((d) => [
    d,
    createReferenceEngine(
      catalog.rules
        .filter((r) => r.event.params.district === d)
        .map((r): RuleDefinition => ({ ...r, event: { type: r.event.type, params: { measureId: r.name } as RuleDefinition['event']['params'] } })),
    ),
  ]),
);
const rulesPerProfile = ruleset.rules.length;
const numRuns = Math.ceil(MIN_PAIRS / rulesPerProfile) + 20;

/** Codes the real rules name, per fact: drawn often so that rules pass, fail and near-miss. */
const usedCodes = new Map<string, Set<string>>();
for (const rule of catalog.rules)
  for (const l of leavesOf(rule.conditions))
    if (isLeaf(l)) {
      const key = l.path ? `${l.fact}.${l.path.slice(2)}` : l.fact;
      const set = usedCodes.get(key) ?? new Set<string>();
      for (const v of Array.isArray(l.value) ? l.value : [l.value]) if (typeof v === 'string') set.add(v);
      usedCodes.set(key, set);
    }

function code(field: string, all: string[] = allowedCodes(field)): fc.Arbitrary<string> {
  const used = [...(usedCodes.get(field) ?? [])].filter((c) => all.includes(c));
  return used.length ? fc.oneof(fc.constantFrom(...used), fc.constantFrom(...all)) : fc.constantFrom(...all);
}

/** Absent (the record leaves the key out), empty, a few codes, or occasionally many. */
function codes(field: string, all?: string[], maxLength = 20): fc.Arbitrary<string[]> {
  const pool = all ?? allowedCodes(field);
  return fc.oneof(
    { weight: 5, arbitrary: fc.uniqueArray(code(field, pool), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.subarray(pool, { maxLength: Math.min(maxLength, pool.length) }) },
  );
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'.split('');
const areas = allowedCodes('location.area');

const location = fc.constantFrom(...allowedCodes('location.district')).chain((district) =>
  fc.record(
    {
      district: fc.constant(district),
      // Mostly an area of the own district; sometimes any area, to widen the space the evaluators see.
      area: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...(areas.filter((a) => a.startsWith(`${district}/`)).length ? areas.filter((a) => a.startsWith(`${district}/`)) : areas)) }, { weight: 1, arbitrary: fc.constantFrom(...areas) }),
    },
    { requiredKeys: ['district'] },
  ),
);

const metrics = fc.record(
  {
    employees: fc.integer({ min: 0, max: 100_000 }),
    annualRevenueWan: fc.double({ min: 0, max: 1e7, noNaN: true }),
    annualTaxWan: fc.double({ min: 0, max: 1e6, noNaN: true }),
    rdExpenseRatio: fc.double({ min: 0, max: 1, noNaN: true }),
    foundedYear: fc.integer({ min: 1800, max: 2100 }),
    inventionPatents: fc.integer({ min: 0, max: 500 }),
    pctApplications: fc.integer({ min: 0, max: 100 }),
  },
  { requiredKeys: [] },
);

const profileArb: fc.Arbitrary<CompanyProfile> = fc.record(
  {
    name: fc.string({ maxLength: 20 }),
    uscc: fc.array(fc.constantFrom(...USCC_CHARS), { minLength: 18, maxLength: 18 }).map((c) => c.join('')),
    location,
    sectors: codes('sectors'),
    headquarters: codes('headquarters'),
    headquartersRecognition: code('headquartersRecognition'),
    qualifications: codes('qualifications'),
    roles: codes('roles'),
    ownership: code('ownership'),
    size: code('size'),
    listing: code('listing'),
    plans: codes('plans'),
    talent: codes('talent'),
    additionalSectors: codes('additionalSectors', EXTENSION_CODES.filter((c) => c.field === 'additionalSectors').map((c) => c.code)),
    additionalRoles: codes('additionalRoles', EXTENSION_CODES.filter((c) => c.field === 'additionalRoles').map((c) => c.code)),
    metrics,
  },
  { requiredKeys: ['location'] },
);

const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.prototype.every.call(a, (x: number, i: number) => x === b[i]);

describe('compiled evaluators (closures, district programs, index) vs json-rules-engine on every real rule', () => {
  it(`agree rule by rule and leaf by leaf on at least ${MIN_PAIRS.toLocaleString('en')} rule/profile pairs`, async () => {
    const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
    const states = new Uint8Array(ruleset.maxLeaves);
    const raw = new Uint8Array(ruleset.maxLeaves);
    let pairs = 0;
    const verdicts = { [TRUE]: 0, [FALSE]: 0, [UNKNOWN]: 0 };

    await fc.assert(
      fc.asyncProperty(profileArb, async (profile) => {
        for (const district of DISTRICTS) {
          const facts = profileIn(profile, district);
          const reference = await runReference(engines.get(district)!, facts);
          // The district program the product evaluates with (matchProfile, matchIds): all leaves at once, and the index.
          const program = ruleset.programs.get(district)!;
          program.evaluate(facts);
          const indexed = new Set(ruleset.matchingIds(district, facts));
          const districtRules = ruleset.byDistrict.get(district) ?? [];
          for (const [index, rule] of districtRules.entries()) {
            pairs++;
            const n = rule.leaves.length;
            const s = states.subarray(0, n);
            const r = raw.subarray(0, n);
            oracleOf(rule).evaluateLeaves(facts, s, r);
            const ref = reference.get(rule.id);
            const verdict = oracleOf(rule).combine(s);
            const problems: string[] = [];
            if (!ref) problems.push('json-rules-engine gave no result');
            else {
              if (!same(ref.raw, r)) problems.push(`leaf results differ: compiled [${[...r].join(',')}], json-rules-engine [${[...ref.raw].join(',')}]`);
              if (!same(ref.states, s)) problems.push(`leaf unknown-ness differs: compiled [${[...s].join(',')}], json-rules-engine [${[...ref.states].join(',')}]`);
              if (oracleOf(rule).combineRaw(r) !== ref.passed) problems.push(`pass/fail differs: compiled combineRaw ${oracleOf(rule).combineRaw(r)}, json-rules-engine ${ref.passed}`);
              if ((verdict === TRUE && !ref.passed) || (verdict === FALSE && ref.passed)) problems.push(`three-valued verdict ${verdict} contradicts json-rules-engine ${ref.passed}`);
            }
            if (oracleOf(rule).match(facts) !== verdict) problems.push(`match gives ${oracleOf(rule).match(facts)}, combine(evaluateLeaves) ${verdict}`);
            if (program.verdict(index) !== verdict) problems.push(`district program verdict ${program.verdict(index)}, closures ${verdict}`);
            if (!same(program.stateViews[index], s)) problems.push(`district program leaf states [${[...program.stateViews[index]].join(',')}], closures [${[...s].join(',')}]`);
            if (indexed.has(rule.id) !== (verdict === TRUE)) problems.push(`indexed matchingIds ${indexed.has(rule.id) ? 'includes' : 'omits'} it, verdict ${verdict}`);
            if (problems.length) throw new Error(`rule ${rule.id} (evaluated in ${district}): ${problems.join('; ')}\nprofile: ${JSON.stringify(profile)}`);
            verdicts[verdict]++;
          }
        }
      }),
      { numRuns, seed },
    );

    expect(pairs).toBe(numRuns * rulesPerProfile);
    expect(pairs).toBeGreaterThanOrEqual(MIN_PAIRS);
    // Not vacuous: rules passed, failed and stayed open.
    expect(verdicts[TRUE]).toBeGreaterThan(1000);
    expect(verdicts[FALSE]).toBeGreaterThan(1000);
    expect(verdicts[UNKNOWN]).toBeGreaterThan(1000);
  }, 120_000);
});
