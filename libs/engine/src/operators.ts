import { Operator, type Engine } from 'json-rules-engine';
import { sectorWithin } from '@matcher/catalog';

/**
 * Every operator a rule may use, with json-rules-engine's own semantics: an operator is false when its
 * validator rejects the fact value, else its callback decides. The engine (reference) and the compiler
 * both read this table, so the two cannot drift apart.
 */
export interface OperatorSpec {
  validate: (factValue: unknown) => boolean;
  // Method syntax: each operator narrows the values it was validated for (bivariant parameters).
  test(factValue: unknown, ruleValue: unknown): boolean;
}

/** What json-rules-engine calls indexOf on: a list, or a string when a rule is written that way. */
type Searchable = { indexOf(value: unknown): number };

const anything = (): boolean => true;
const isArray = (v: unknown): boolean => Array.isArray(v);
const isNumberLike = (v: unknown): boolean => Number.parseFloat(v as string).toString() !== 'NaN';

/** json-rules-engine's built-in operators (engine-default-operators.js), restated. */
export const BUILT_IN_OPERATORS: Record<string, OperatorSpec> = {
  equal: { validate: anything, test: (a, b) => a === b },
  notEqual: { validate: anything, test: (a, b) => a !== b },
  in: { validate: anything, test: (a, b) => (b as Searchable).indexOf(a) > -1 },
  notIn: { validate: anything, test: (a, b) => (b as Searchable).indexOf(a) === -1 },
  contains: { validate: isArray, test: (a, b) => (a as Searchable).indexOf(b) > -1 },
  doesNotContain: { validate: isArray, test: (a, b) => (a as Searchable).indexOf(b) === -1 },
  lessThan: { validate: isNumberLike, test: (a, b) => (a as number) < (b as number) },
  lessThanInclusive: { validate: isNumberLike, test: (a, b) => (a as number) <= (b as number) },
  greaterThan: { validate: isNumberLike, test: (a, b) => (a as number) > (b as number) },
  greaterThanInclusive: { validate: isNumberLike, test: (a, b) => (a as number) >= (b as number) },
};

/**
 * Our own operators, registered on every engine through `registerCustomOperators`.
 * - `sectorIn`: the profile names a sector equal to, or beneath, one of the rule's codes
 *   (a child code satisfies a rule on its parent; a parent does not satisfy a rule on a child).
 * - `hasAny`: the profile's list shares at least one code with the rule's list.
 */
export const CUSTOM_OPERATORS: Record<string, OperatorSpec> = {
  sectorIn: {
    validate: isArray,
    test: (sectors: string[], codes: string[]) => sectors.some((s) => codes.some((c) => sectorWithin(s, c))),
  },
  hasAny: {
    validate: isArray,
    test: (values: string[], codes: string[]) => values.some((v) => codes.includes(v)),
  },
};

export const OPERATORS: Record<string, OperatorSpec> = { ...BUILT_IN_OPERATORS, ...CUSTOM_OPERATORS };

export function registerCustomOperators(engine: Engine): Engine {
  for (const [name, spec] of Object.entries(CUSTOM_OPERATORS)) {
    engine.addOperator(new Operator(name, (factValue: unknown, ruleValue: unknown) => spec.test(factValue, ruleValue), spec.validate));
  }
  return engine;
}

/** A fact the profile leaves out — missing, null or an empty list — is unknown, never "no". */
export function isUnknownValue(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}
