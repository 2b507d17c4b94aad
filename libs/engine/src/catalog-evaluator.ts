import { factsOf, type RuleDefinition, type RuleEvaluator } from '@matcher/catalog';
import { compileRule, type CompiledRule } from './compile';
import { OPERATORS } from './operators';
import { reasonOf } from './reason';
import { TRUE } from './tri';

/** The engine as rules:check (and the server's draft check) evaluates rules and rule cases with. */
export function catalogEvaluator(): RuleEvaluator {
  const compiled = new WeakMap<RuleDefinition, CompiledRule>();
  const compile = (rule: RuleDefinition): CompiledRule => {
    let c = compiled.get(rule);
    if (!c) compiled.set(rule, (c = compileRule(rule)));
    return c;
  };
  return {
    operators: Object.keys(OPERATORS),
    prepare: (rule) => void compile(rule),
    evaluate: (rule, profile) => {
      const { verdict, failed, missing } = reasonOf(compile(rule), factsOf(profile) as unknown as Record<string, unknown>);
      return verdict === TRUE ? { verdict: 'match', failed: [], missing: [] } : { verdict: 'no-match', failed, missing };
    },
  };
}
