/**
 * The catalog's test cases as data: test/rules/<district>/<documentId>.cases.json. Their expectations (outcome,
 * kind, exact reason, not-a-measure) are checked in one place, @matcher/catalog's checkRuleCases, which
 * rules:check runs too; here each measure reports its own findings from it. Besides, json-rules-engine must agree
 * with the product's matcher on every case profile, and validity edges are generated from each measure's first
 * "match" case.
 */
import { basename } from 'node:path';
import {
  checkRuleCases,
  factsOf,
  loadCatalog,
  projectRoot,
  readCatalogSource,
  validateProfile,
  type CaseDefinition,
  type CompanyProfile,
  type Measure,
} from '@matcher/catalog';
import {
  catalogEvaluator,
  createReferenceEngine,
  matchProfile,
  profileIn,
  Ruleset,
  runReference,
  type MatchOutcome,
  type MeasureStatus,
} from '@matcher/engine';

type RuleCase = CaseDefinition;

/** When a case gives no date and its measure has no start date. */
const DEFAULT_AS_OF = '2025-06-30';

const root = projectRoot();
const catalog = loadCatalog(root);
const ruleset = new Ruleset(catalog);
/** One json-rules-engine per rule: a run evaluates only the measure under test. */
const engines = new Map(catalog.rules.map((r) => [r.name, createReferenceEngine([r])]));

const source = readCatalogSource(root);
const evaluator = catalogEvaluator();
const caseFiles = source.ruleFiles.map((f) => `test/rules/${f.district}/${f.documentId}.cases.json`).sort();

function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

function inMatches(outcome: MatchOutcome, id: string, scenario: 'current-location' | 'relocation'): boolean {
  // A priority that names the profile is listed apart from the measures, but it matches all the same.
  return outcome.matches.some((m) => m.measureId === id && m.scenario === scenario) || outcome.priorities.some((p) => p.measureId === id && p.scenario === scenario);
}

async function referencePasses(facts: Record<string, unknown>, id: string): Promise<boolean> {
  const result = (await runReference(engines.get(id)!, facts)).get(id);
  if (!result) throw new Error(`json-rules-engine has no result for ${id}`);
  return result.passed;
}

/** json-rules-engine and the product's matcher agree on a case profile, as the company stands and relocated here. */
async function agreementProblems(measure: Measure, c: RuleCase): Promise<string[]> {
  const problems: string[] = [];
  const say = (s: string): number => problems.push(`"${c.case}": ${s}`);
  const { profile } = validateProfile(c.profile);
  if (!profile) return problems; // checkRuleCases reports it
  const district = measure.district;
  const asOf = c.asOf ?? measure.validity.validFrom ?? DEFAULT_AS_OF;
  const outcome = matchProfile(ruleset, profile, { districts: [district], asOf });
  const compiled = inMatches(outcome, measure.id, 'current-location') ? 'match' : 'no-match';

  const here = profile.location.district === district;
  // The company as it is: registered here, or elsewhere (then the location condition fails).
  const reference = (await referencePasses(here ? profileIn(profile, district) : (factsOf(profile) as unknown as Record<string, unknown>), measure.id)) ? 'match' : 'no-match';
  if (reference !== compiled) say(`json-rules-engine gives ${reference}, the compiled matcher ${compiled}`);
  if (!here) {
    // The same company as if it relocated here: both evaluators must still agree.
    const relocated = inMatches(outcome, measure.id, 'relocation');
    const refRelocated = await referencePasses(profileIn(profile, district), measure.id);
    if (relocated !== refRelocated) say(`relocation scenario: json-rules-engine gives ${refRelocated}, the compiled matcher ${relocated}`);
  }
  return problems;
}

/** Status on the validity edges, from the measure's own first "match" case. */
function validityProblems(measure: Measure, profile: CompanyProfile): string[] {
  const { validFrom, validTo } = measure.validity;
  const edges: [string, MeasureStatus][] = [];
  if (validFrom) edges.push([addDays(validFrom, -1), 'not-yet-in-force'], [validFrom, 'in-force']);
  if (validTo) edges.push([validTo, 'in-force'], [addDays(validTo, 1), 'expired']);
  if (!validFrom && !validTo) edges.push(['1990-01-01', 'term-unknown'], [DEFAULT_AS_OF, 'term-unknown'], ['2099-12-31', 'term-unknown']);
  const problems: string[] = [];
  for (const [asOf, status] of edges) {
    const outcome = matchProfile(ruleset, profile, { districts: [measure.district], asOf });
    const found = [...outcome.matches, ...outcome.priorities].find((m) => m.measureId === measure.id);
    if (!found) problems.push(`on ${asOf}: the match case no longer matches`);
    else if (found.status !== status) problems.push(`on ${asOf}: status ${found.status}, expected ${status}`);
    const hidden = matchProfile(ruleset, profile, { districts: [measure.district], asOf, includeExpired: false });
    if (status === 'expired' && [...hidden.matches, ...hidden.priorities].some((m) => m.measureId === measure.id))
      problems.push(`on ${asOf}: includeExpired false still returns the expired measure`);
  }
  return problems;
}

it('finds the case files of every rule file', () => {
  expect(caseFiles.map((f) => basename(f, '.cases.json')).sort()).toEqual(catalog.documents.map((d) => d.id).sort());
});

describe.each(source.ruleFiles.map((f) => [f.documentId, f] as const))('%s', (documentId, file) => {
  const cases = (file.cases?.value ?? {}) as Record<string, RuleCase[]>;
  const measures = catalog.measures.filter((m) => m.source.documentId === documentId);
  const known = new Set(measures.map((m) => m.id));
  const checked = checkRuleCases({
    file: `test/rules/${file.district}/${documentId}.cases.json`,
    cases: file.cases,
    rules: catalog.rules.filter((r) => known.has(r.name)),
    catalogRules: catalog.rules,
    text: source.texts[documentId],
    evaluator,
  });
  const removed = Object.keys(cases).filter((id) => !known.has(id));

  it('has cases only for its measures and for entries removed from it', () => {
    const filed = new Set([...checked.byId.values()].flat());
    expect(checked.findings.filter((f) => !filed.has(f))).toEqual([]);
    for (const id of removed) expect(cases[id].map((c) => c.expect)).toEqual(cases[id].map(() => 'not-a-measure'));
  });

  if (removed.length)
    it.each(removed)('removed entry %s: no measure quoting its text matches', (id) => {
      expect(checked.byId.get(id) ?? []).toEqual([]);
    });

  it.each(measures.map((m) => [m.id, m] as const))('%s', async (_id, measure) => {
    const list = cases[measure.id] ?? [];
    const problems: string[] = [...(checked.byId.get(measure.id) ?? [])];
    for (const c of list) if (c.expect !== 'not-a-measure') problems.push(...(await agreementProblems(measure, c)));
    const firstMatch = list.find((c) => c.expect === 'match');
    const matchProfileOk = firstMatch && validateProfile(firstMatch.profile).profile;
    if (matchProfileOk) problems.push(...validityProblems(measure, matchProfileOk));
    expect(problems).toEqual([]);
  });
});
