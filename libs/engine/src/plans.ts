import { DISTRICTS, fieldLabel, sectorWithin, type District, type Measure } from '@matcher/catalog';
import type { CompiledLeaf, CompiledRule } from './compile';
import type { RuleProgram } from './program';
import type { Ruleset } from './ruleset';
import { FALSE, TRUE, UNKNOWN } from './tri';
import type { HeldCondition, Words } from './types';
import { statusOf, statusRank, type MeasureStatus } from './validity';
import { conditionWords, heldWords, satisfyingValues, wantedCodes } from './words';
import { acquirable, endsInDays, hasAnyBlock, leafPointers, specRelevance, type Pointers, type SpecRelevance } from './alternatives';

/*
 * What the explained path precomputes once per ruleset (never per request): each rule's measure and sort
 * key, each leaf's sentences, the "missing facts" of each set of open leaves, the question option ids.
 * Caches hold strings and frozen `satisfiedBy` lists only: every object in an outcome (results, held
 * conditions, missing facts, failed conditions, questions, options) is made for that outcome, so a
 * caller may add to it (MatchService adds `text`) without touching another outcome.
 */

const MAX_CACHED_WORDS = 256;

/**
 * Facts a company can change, so that one failed condition on them is worth showing: its plans, what it
 * holds or employs, its headquarters and listing, where in the district it sits, its figures. Sectors,
 * roles, ownership and size describe what the company is; the district is what `districts` (relocation) is for.
 */
export function isChangeableFact(fact: string): boolean {
  return (
    fact === 'plans' ||
    fact === 'qualifications' ||
    fact === 'talent' ||
    fact === 'headquarters' ||
    fact === 'headquartersRecognition' ||
    fact === 'listing' ||
    fact === 'location.area' ||
    fact === 'metrics' ||
    fact.startsWith('metrics.')
  );
}

export interface MissingSpec extends SpecRelevance {
  zh: string;
  en: string;
  satisfiedBy: unknown[];
  /** The text's words for the open conditions on this fact. */
  basis: string | undefined;
  /** Per satisfiedBy value: the question option it counts for (by JSON.stringify of the value, per fact). */
  ids: number[];
}

/** Question options numbered per fact, once per ruleset: JSON.stringify(value) → a small integer. */
class OptionIds {
  private readonly byFact = new Map<string, Map<string, number>>();

  of(fact: string, value: unknown): number {
    let ids = this.byFact.get(fact);
    if (!ids) this.byFact.set(fact, (ids = new Map()));
    const key = JSON.stringify(value);
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    return id;
  }
}

/** A leaf "holds" when its test passed, or failed under a `not`. */
export function holds(leaf: CompiledLeaf, state: number): boolean {
  return leaf.negated ? state === FALSE : state === TRUE;
}

/** The leaves whose single change (to holding) would make rule `r` of the program apply. */
export function singleFlips(program: RuleProgram, r: number, rule: CompiledRule, states: Uint8Array): CompiledLeaf[] {
  const out: CompiledLeaf[] = [];
  for (const leaf of rule.leaves) {
    const s = states[leaf.index];
    if (s === UNKNOWN || holds(leaf, s)) continue;
    states[leaf.index] = s === TRUE ? FALSE : TRUE;
    if (program.verdict(r) === TRUE) out.push(leaf);
    states[leaf.index] = s;
  }
  return out;
}

/** The profile gave a parent sector where the rule needs a child. */
export function needsDetail(leaf: CompiledLeaf, value: unknown): boolean {
  if (leaf.condition.operator !== 'sectorIn' || !Array.isArray(value)) return false;
  const wanted = leaf.condition.value as string[];
  return value.some((s) => wanted.some((c) => c !== s && sectorWithin(c, String(s))));
}

/** Cached words for a list of string values: one node per value, so no key string is built per lookup. */
interface WordsNode {
  words?: Words;
  next?: Map<string | number, WordsNode>;
}

export class LeafPlan {
  private condition?: Words;
  /** heldWords by the values' path, per scenario (0 current location, 1 relocation). */
  private readonly held: [WordsNode, WordsNode] = [{}, {}];
  private cached = 0;
  /** wantedCodes of the leaf, once: the argument satisfyingValues takes. */
  readonly wanted: ReadonlySet<string> | null;
  /** Whether one failed condition here is worth a near miss (isChangeableFact). */
  readonly changeable: boolean;
  /** What of a company points to this condition's codes, for the near miss's relevance. */
  readonly pointers: Pointers | null;

  constructor(
    readonly leaf: CompiledLeaf,
    /** The words of the text this condition encodes. */
    readonly basis: string | undefined,
  ) {
    this.wanted = wantedCodes(leaf.condition);
    this.changeable = isChangeableFact(leaf.factKey) && acquirable(leaf);
    this.pointers = leafPointers(leaf);
  }

  /** conditionWords(leaf, factKey, negated), once. */
  words(): Words {
    return (this.condition ??= conditionWords(this.leaf.condition, this.leaf.factKey, this.leaf.negated));
  }

  /** heldWords, cached (up to MAX_CACHED_WORDS lists per leaf) when the values are strings or numbers. */
  heldWords(values: unknown[], relocation: boolean): Words {
    let node = this.held[relocation ? 1 : 0];
    for (let i = 0; i < values.length && node; i++) {
      const v = values[i];
      if (typeof v !== 'string' && typeof v !== 'number') return heldWords(this.leaf.condition, this.leaf.factKey, values, relocation);
      let next: WordsNode | undefined = node.next?.get(v);
      if (!next && this.cached < MAX_CACHED_WORDS) (node.next ??= new Map()).set(v, (next = {}));
      node = next as WordsNode;
    }
    if (!node || values.length === 0) return heldWords(this.leaf.condition, this.leaf.factKey, values, relocation);
    if (!node.words) {
      node.words = heldWords(this.leaf.condition, this.leaf.factKey, values, relocation);
      this.cached++;
    }
    return node.words;
  }
}

export class RulePlan {
  readonly leaves: LeafPlan[];
  readonly isPriority: boolean;
  /** Whether the rule has an `any` block (heldAlternatives has something to say). */
  readonly hasAlternatives: boolean;
  private readonly missing = new Map<string, MissingSpec[]>();
  private readonly missingByMask = new Map<number, MissingSpec[]>();
  private readonly leavesByMask = new Map<number, CompiledLeaf[]>();
  private asOf = '';
  private status: MeasureStatus = 'term-unknown';
  private rank = 0;
  private ends: number | undefined;
  private readonly districtOrder: number;
  private readonly general: number;
  /** Per leaf: one bit per distinct fact of the rule (0 for the district), to count facts used without words. */
  private readonly factBits: Int32Array;

  constructor(
    readonly rule: CompiledRule,
    readonly measure: Measure,
    /** Position of the measure id in code-unit order among all the ruleset's ids (the last sort key). */
    readonly idRank: number,
    private readonly optionIds: OptionIds,
  ) {
    const basis = measure.basis?.conditions;
    this.leaves = rule.leaves.map((l) => new LeafPlan(l, basis?.[l.condition.name]));
    this.isPriority = measure.kind === 'priority';
    this.hasAlternatives = hasAnyBlock(rule);
    this.districtOrder = DISTRICTS.indexOf(measure.district) + 1;
    this.general = measure.specificity === 'targeted' ? 0 : 1;
    const facts = new Map<string, number>();
    this.factBits = Int32Array.from(rule.leaves, (l) => {
      if (l.factKey === 'location.district') return 0;
      let bit = facts.get(l.factKey);
      if (bit === undefined) facts.set(l.factKey, (bit = Math.min(30, facts.size)));
      return 1 << bit;
    });
  }

  /** statusOf(measure.validity, asOf), remembered for the last date asked. */
  statusAsOf(asOf: string): MeasureStatus {
    if (asOf !== this.asOf) {
      this.status = statusOf(this.measure.validity, asOf);
      this.asOf = asOf;
      this.rank = statusRank(this.status);
      this.ends = endsInDays(this.status, this.measure.validity.validTo, asOf);
    }
    return this.status;
  }

  /** endsInDays of the measure as of the date last given to statusAsOf (call it first). */
  endsInDays(): number | undefined {
    return this.ends;
  }

  /** How many distinct facts (besides the district) the conditions that hold use. */
  heldFacts(states: Uint8Array): number {
    let mask = 0;
    for (const plan of this.leaves) if (holds(plan.leaf, states[plan.leaf.index])) mask |= this.factBits[plan.leaf.index];
    let n = 0;
    for (; mask; mask &= mask - 1) n++;
    return n;
  }

  /**
   * The sort key of a match (call statusAsOf first): the company's own district first, then in force
   * first, then targeted before general, then more facts used, then district order, then measure id.
   */
  matchKey(relocation: boolean, factsUsed: number, ranks: number): number {
    const base = ((relocation ? 8 : 0) + this.rank * 2 + this.general) * 4096;
    return ((base + 4095 - Math.min(4095, factsUsed)) * 8 + this.districtOrder) * ranks + this.idRank;
  }

  /**
   * The sort key of a near miss (call statusAsOf first): most relevant to the company first, then fewest facts to supply or change first (one
   * question before one change), then in force before expired, then targeted before general, then the
   * own district, then more facts used, then district order, then measure id.
   */
  nearMissKey(closeness: number, oneChange: boolean, relocation: boolean, factsUsed: number, ranks: number, relevance = 0): number {
    const close = Math.min(15, closeness) * 2 + (oneChange ? 1 : 0);
    const base = (((close * 4 + this.rank) * 2 + this.general) * 2 + (relocation ? 1 : 0)) * 4096;
    const key = ((base + 4095 - Math.min(4095, factsUsed)) * 8 + this.districtOrder) * ranks + this.idRank;
    // Relevance to the company (alternatives.ts: relevance) ranks above the rest: key < 2^25 * ranks.
    return relevance * 2 ** 25 * ranks + key;
  }

  /** The leaves in `mask` (bit i = leaf i), in depth-first order: the open leaves RuleProgram.openMask gives. */
  leavesOf(mask: number): CompiledLeaf[] {
    let leaves = this.leavesByMask.get(mask);
    if (!leaves) this.leavesByMask.set(mask, (leaves = this.rule.leaves.filter((l) => (mask & (1 << l.index)) !== 0)));
    return leaves;
  }

  /** missingFor the open leaves in `mask`. */
  missingForMask(mask: number): MissingSpec[] {
    let specs = this.missingByMask.get(mask);
    if (!specs) this.missingByMask.set(mask, (specs = this.missingFor(this.leavesOf(mask))));
    return specs;
  }

  /** The conditions that held, with the profile values that satisfied them (values as rule `r` of `program` read them). */
  explain(program: RuleProgram, r: number, states: Uint8Array, relocation: boolean): HeldCondition[] {
    const held: HeldCondition[] = [];
    for (const plan of this.leaves) {
      const leaf = plan.leaf;
      if (!holds(leaf, states[leaf.index])) continue;
      const value = program.valueOf(r, leaf.index);
      const values = leaf.negated ? [value] : satisfyingValues(leaf.condition, value, plan.wanted);
      const words = leaf.negated ? plan.words() : plan.heldWords(values, relocation);
      if (plan.basis === undefined) held.push({ condition: leaf.condition.name, fact: leaf.factKey, values, zh: words.zh, en: words.en });
      else held.push({ condition: leaf.condition.name, fact: leaf.factKey, values, zh: words.zh, en: words.en, basis: plan.basis });
    }
    return held;
  }

  /** The missing facts for a set of open leaves (always in depth-first order), computed once per set. */
  missingFor(open: CompiledLeaf[]): MissingSpec[] {
    let key = '';
    for (const leaf of open) key += `${leaf.index},`;
    let specs = this.missing.get(key);
    if (!specs) {
      const byFact = new Map<string, unknown[]>();
      const phrases = new Map<string, Set<string>>();
      for (const leaf of open) {
        const accepted = byFact.get(leaf.factKey) ?? [];
        accepted.push(...(Array.isArray(leaf.condition.value) ? leaf.condition.value : [leaf.condition.value]));
        byFact.set(leaf.factKey, accepted);
        const phrase = this.leaves[leaf.index].basis;
        if (phrase !== undefined) phrases.set(leaf.factKey, (phrases.get(leaf.factKey) ?? new Set()).add(phrase));
      }
      specs = [...byFact].map(([fact, all]) => {
        // Shared by every near miss that names this fact for this rule: frozen, so no consumer can change another's.
        const satisfiedBy = Object.freeze([...new Set(all)]) as unknown[];
        const basis = phrases.has(fact) ? [...(phrases.get(fact) as Set<string>)].join('、') : undefined;
        return {
          ...specRelevance(fact, satisfiedBy),
          zh: fieldLabel(fact, 'zh'),
          en: fieldLabel(fact, 'en'),
          satisfiedBy,
          basis,
          ids: satisfiedBy.map((v) => this.optionIds.of(fact, v)),
        };
      });
      this.missing.set(key, specs);
    }
    return specs;
  }
}

const plans = new WeakMap<Ruleset, Map<District, RulePlan[]>>();

/** Each district's rule plans, built once per ruleset, in the order of the district's program. */
export function plansOf(ruleset: Ruleset): Map<District, RulePlan[]> {
  let p = plans.get(ruleset);
  if (!p) {
    const ids = ruleset.rules.map((r) => r.id).sort();
    const rank = new Map(ids.map((id, i) => [id, i]));
    const optionIds = new OptionIds();
    p = new Map(
      DISTRICTS.map((d) => [
        d,
        (ruleset.byDistrict.get(d) ?? []).map((rule) => new RulePlan(rule, ruleset.measure(rule.id), rank.get(rule.id) ?? 0, optionIds)),
      ]),
    );
    plans.set(ruleset, p);
  }
  return p;
}
