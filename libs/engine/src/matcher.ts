import { DISTRICTS, factsOf, fieldLabel, type CompanyProfile, type District } from '@matcher/catalog';
import { anyOfWords, companyOf, heldAlternatives, relevance, sufficientOpenLeaves } from './alternatives';
import type { CompiledLeaf } from './compile';
import { needsDetail, plansOf, singleFlips, type MissingSpec, type RulePlan } from './plans';
import type { RuleProgram } from './program';
import { measureResult, nearMiss, priorityResult, sortResults } from './results';
import type { Ruleset } from './ruleset';
import { noLiveQuestions, summarize } from './summary';
import { TRUE, UNKNOWN, type Tri } from './tri';
import {
  DEFAULT_NEAR_MISS_LIMIT,
  MAX_NEAR_MISS_LIMIT,
  type FailedCondition,
  type MatchOptions,
  type MatchOutcome,
  type MeasureResult,
  type MissingFact,
  type NearMiss,
  type PriorityResult,
  type Question,
  type QuestionOption,
  type Scenario,
} from './types';

export * from './types';

const EVALUATED: ReadonlySet<string> = new Set(DISTRICTS);

/** Default: the company's own district when it is one we cover, otherwise all three. */
export function defaultDistricts(profile: CompanyProfile): District[] {
  const own = profile.location.district;
  return EVALUATED.has(own) ? [own as District] : [...DISTRICTS];
}

const SINGLE = new Map<string, readonly District[]>(DISTRICTS.map((d) => [d, [d]]));

/** defaultDistricts without allocating: shared read-only lists. */
function defaultDistrictList(profile: CompanyProfile): readonly District[] {
  return SINGLE.get(profile.location.district) ?? DISTRICTS;
}

/**
 * The facts rules see for a profile evaluated in `district`: extension fields merged in, and for a
 * relocation the company as if registered there (an area elsewhere no longer applies).
 */
export function profileIn(profile: CompanyProfile, district: District): Record<string, unknown> {
  return factsIn(factsOf(profile), district);
}

/** profileIn from the profile's facts (factsOf), which a caller evaluating several districts computes once. */
function factsIn(facts: CompanyProfile, district: District): Record<string, unknown> {
  if (facts.location.district === district) return facts as unknown as Record<string, unknown>;
  const area = facts.location.area?.startsWith(`${district}/`) ? facts.location.area : undefined;
  return { ...facts, location: area ? { district, area } : { district } };
}

/** Pass/fail only: the ids of the measures (kind `measure`) a profile matches, for batch screening and benchmarks. */
export function matchIds(ruleset: Ruleset, profile: CompanyProfile, districts: readonly District[] = defaultDistrictList(profile)): string[] {
  const out: string[] = [];
  for (const district of districts) ruleset.matchingIds(district, profileIn(profile, district), out);
  return ruleset.priorityIds.size ? out.filter((id) => !ruleset.priorityIds.has(id)) : out;
}

/** The near-miss limit asked for, within 0–100. */
function limitOf(options: MatchOptions): number {
  const n = options.nearMissLimit ?? DEFAULT_NEAR_MISS_LIMIT;
  return Math.max(0, Math.min(MAX_NEAR_MISS_LIMIT, Math.floor(n)));
}

interface QuestionDraft {
  measureIds: string[];
  /** Options by id (OptionIds), and in the order first seen. */
  slots: (QuestionOption | undefined)[];
  options: QuestionOption[];
}

/** A near miss found in a district, not yet built: only the best `limit` of each district are. */
interface Candidate {
  r: number;
  plan: RulePlan;
  key: number;
  used: number;
  specs: MissingSpec[] | null;
  flips: CompiledLeaf[] | null;
  /** The open leaves of a needs-info candidate. */
  open: CompiledLeaf[] | null;
}

function failedConditions(program: RuleProgram, r: number, plan: RulePlan, flips: CompiledLeaf[]): FailedCondition[] {
  return flips.map((leaf): FailedCondition => {
    const value = program.valueOf(r, leaf.index);
    const leafPlan = plan.leaves[leaf.index];
    const words = leafPlan.words();
    const failed: FailedCondition = {
      condition: leaf.condition.name,
      fact: leaf.factKey,
      zh: words.zh,
      en: words.en,
      profileValue: value,
      satisfiedBy: leaf.condition.value,
      detailNeeded: needsDetail(leaf, value),
    };
    if (leafPlan.basis !== undefined) failed.basis = leafPlan.basis;
    return failed;
  });
}

/**
 * Evaluates a profile against the measures of the chosen districts: which measures apply and why, which
 * district priorities name the company, which measures are within reach (a fact to supply or one to
 * change), which unknown facts decide the most measures still in force, and a summary as of the date.
 */
export function matchProfile(ruleset: Ruleset, profile: CompanyProfile, options: MatchOptions): MatchOutcome {
  const districts = options.districts?.length ? [...new Set(options.districts)] : defaultDistricts(profile);
  const includeExpired = options.includeExpired ?? true;
  const limit = limitOf(options);
  const matches: MeasureResult[] = [];
  const priorities: PriorityResult[] = [];
  const nearMisses: NearMiss[] = [];
  const questions = new Map<string, QuestionDraft>();
  const byDistrict = plansOf(ruleset);
  const matchKeys: number[] = [];
  const priorityKeys: number[] = [];
  const nearMissKeys: number[] = [];
  const ranks = ruleset.rules.length;
  let needsInfo = 0;
  let oneChange = 0;
  let expiredOnlyQuestions = false;
  const profileFacts = factsOf(profile);
  // Plans and sectors are the same in every district evaluated.
  const company = companyOf(profileFacts as unknown as Record<string, unknown>);

  for (const district of districts) {
    const relocation = profile.location.district !== district;
    const scenario: Scenario = relocation ? 'relocation' : 'current-location';
    const facts = factsIn(profileFacts, district);
    const program = ruleset.programs.get(district);
    const districtPlans = byDistrict.get(district);
    if (!program || !districtPlans) continue;
    // Every leaf of the district's rules at once; then each rule reads its own slice of the states.
    program.evaluate(facts);
    const candidates: Candidate[] = [];
    for (let r = 0; r < districtPlans.length; r++) {
      const plan = districtPlans[r];
      const status = plan.statusAsOf(options.asOf);
      if (!includeExpired && status === 'expired') continue;
      const states = program.stateViews[r];
      const verdict: Tri = program.verdict(r);
      if (verdict === TRUE) {
        const ends = plan.endsInDays();
        if (plan.isPriority) {
          const p = priorityResult(plan.measure, status, scenario, plan.explain(program, r, states, relocation));
          if (ends !== undefined) p.endsInDays = ends;
          priorities.push(p);
          priorityKeys.push(plan.matchKey(relocation, 0, ranks));
        } else {
          const m = measureResult(plan.measure, status, scenario, plan.explain(program, r, states, relocation));
          if (plan.hasAlternatives) {
            const anyOf = heldAlternatives(plan.rule, states, m.explanation);
            if (anyOf.length) m.anyOf = anyOf;
          }
          if (ends !== undefined) m.endsInDays = ends;
          matches.push(m);
          matchKeys.push(plan.matchKey(relocation, m.factsUsed, ranks));
        }
        continue;
      }
      // A priority offers nothing to apply for: never a near miss, and no question to ask for it.
      if (plan.isPriority) continue;
      if (verdict === UNKNOWN) {
        const mask = program.openMask(r);
        const open = mask >= 0 ? plan.leavesOf(mask) : plan.rule.openLeaves(states);
        const specs = mask >= 0 ? plan.missingForMask(mask) : plan.missingFor(open);
        const used = plan.heldFacts(states);
        needsInfo++;
        const rel = relevance(company, null, specs);
        candidates.push({ r, plan, used, specs, flips: null, open, key: plan.nearMissKey(specs.length, false, relocation, used, ranks, rel) });
        // Questions only for measures that may be in force as of the date.
        if (status !== 'in-force' && status !== 'term-unknown') {
          expiredOnlyQuestions = true;
          continue;
        }
        for (const s of specs) {
          let q = questions.get(s.fact);
          if (!q) questions.set(s.fact, (q = { measureIds: [], slots: [], options: [] }));
          q.measureIds.push(plan.rule.id);
          for (let k = 0; k < s.ids.length; k++) {
            const o = q.slots[s.ids[k]];
            if (o) o.measures += 1;
            else q.options.push((q.slots[s.ids[k]] = { value: s.satisfiedBy[k], measures: 1 }));
          }
        }
        continue;
      }
      // FALSE: a near miss only when one condition, on a fact the company can change, decides it.
      const flips = singleFlips(program, r, plan.rule, states).filter((leaf) => plan.leaves[leaf.index].changeable);
      if (flips.length === 0) continue;
      const used = plan.heldFacts(states);
      oneChange++;
      candidates.push({
        r,
        plan,
        used,
        specs: null,
        flips,
        open: null,
        key: plan.nearMissKey(
          1,
          true,
          relocation,
          used,
          ranks,
          relevance(
            company,
            flips.map((l) => plan.leaves[l.index].pointers),
            null,
          ),
        ),
      });
    }

    // Build only the district's best `limit`; the final cut is made across districts below.
    if (limit > 0 && candidates.length) {
      sortResults(
        candidates,
        candidates.map((c) => c.key),
      );
      for (let i = 0; i < candidates.length && i < limit; i++) {
        const { r, plan, used, specs, flips, open, key } = candidates[i];
        const status = plan.statusAsOf(options.asOf);
        let n: NearMiss;
        if (specs) {
          const missing: MissingFact[] = [];
          for (const s of specs)
            missing.push(
              s.basis === undefined
                ? { fact: s.fact, zh: s.zh, en: s.en, satisfiedBy: s.satisfiedBy }
                : { fact: s.fact, zh: s.zh, en: s.en, satisfiedBy: s.satisfiedBy, basis: s.basis },
            );
          n = nearMiss(plan.measure, status, scenario, used, 'needs-info', missing, []);
          const states = program.stateViews[r];
          const either = open && open.length > 1 ? sufficientOpenLeaves(open, states, () => program.verdict(r)) : [];
          if (either.length > 1) {
            const words = either.map((l) => plan.leaves[l.index].words());
            n.anyOf = [{ ...anyOfWords(words), conditions: either.map((l) => l.condition.name) }];
          }
        } else {
          n = nearMiss(plan.measure, status, scenario, used, 'one-change', [], failedConditions(program, r, plan, flips as CompiledLeaf[]));
          // Each failed condition alone decides the measure: two or more are alternatives.
          if (n.failed.length > 1) n.anyOf = [{ ...anyOfWords(n.failed), conditions: n.failed.map((f) => f.condition) }];
        }
        const ends = plan.endsInDays();
        if (ends !== undefined) n.endsInDays = ends;
        nearMisses.push(n);
        nearMissKeys.push(key);
      }
    }
  }

  sortResults(matches, matchKeys);
  sortResults(priorities, priorityKeys);
  sortResults(nearMisses, nearMissKeys);
  if (nearMisses.length > limit) nearMisses.length = limit;
  const ranked: Question[] = [...questions]
    .map(([fact, q]) => ({
      fact,
      zh: fieldLabel(fact, 'zh'),
      en: fieldLabel(fact, 'en'),
      decides: q.measureIds.length,
      measureIds: q.measureIds,
      options: q.options.sort((a, b) => b.measures - a.measures),
    }))
    .sort((a, b) => b.decides - a.decides || (a.fact < b.fact ? -1 : 1));
  const questionsNote = ranked.length === 0 && expiredOnlyQuestions ? noLiveQuestions(options.asOf) : null;
  return {
    asOf: options.asOf,
    districts,
    matches,
    priorities,
    nearMisses,
    nearMissesTotal: needsInfo + oneChange,
    questions: ranked,
    summary: summarize(options.asOf, matches, priorities, { total: needsInfo + oneChange, needsInfo, oneChange }, questionsNote),
  };
}
