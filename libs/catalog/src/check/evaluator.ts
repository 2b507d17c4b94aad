import type { RuleDefinition } from '../measures/rule.types';
import type { CompanyProfile } from '../profile/profile.types';

/** What a rule gives for a profile where the company is registered, with the exact reason when it does not hold. */
export interface RuleOutcome {
  verdict: 'match' | 'no-match';
  /** Leaf conditions (by name) that fail; empty for a match. */
  failed: string[];
  /** Facts (`plans`, `location.area`) left unknown; empty for a match. */
  missing: string[];
}

/**
 * The evaluator the check runs rules and cases with. libs/engine provides it (`catalogEvaluator`); the catalog
 * library only names what it needs, since the engine depends on the catalog and not the other way round.
 */
export interface RuleEvaluator {
  /** Operator names a leaf may use. */
  readonly operators: readonly string[];
  /** Throws when the evaluator cannot run the rule. */
  prepare(rule: RuleDefinition): void;
  /** The rule on the profile as it stands (its own district; extension fields merged). */
  evaluate(rule: RuleDefinition, profile: CompanyProfile): RuleOutcome;
}
