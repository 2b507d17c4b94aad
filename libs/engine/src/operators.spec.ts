import { Engine } from 'json-rules-engine';
import { BUILT_IN_OPERATORS, CUSTOM_OPERATORS, isUnknownValue, OPERATORS, registerCustomOperators } from './operators';

const evaluate = (operator: string, fact: unknown, value: unknown): boolean => {
  const spec = OPERATORS[operator];
  return spec.validate(fact) && spec.test(fact, value);
};

describe('sectorIn', () => {
  it('a child sector satisfies a rule on its parent', () => {
    expect(evaluate('sectorIn', ['life-health/innovative-drugs'], ['life-health'])).toBe(true);
  });

  it('a parent sector does not satisfy a rule on a child', () => {
    expect(evaluate('sectorIn', ['life-health'], ['life-health/innovative-drugs'])).toBe(false);
  });

  it('matches the same code, any of several, and not a sibling or a lookalike prefix', () => {
    expect(evaluate('sectorIn', ['ai'], ['ai'])).toBe(true);
    expect(evaluate('sectorIn', ['finance/fintech', 'ic/design'], ['life-health', 'ic'])).toBe(true);
    expect(evaluate('sectorIn', ['ai/robotics'], ['ai/applications'])).toBe(false);
    expect(evaluate('sectorIn', ['ai-x'], ['ai'])).toBe(false);
  });

  it('is false (not an error) for an empty list or a value that is not a list', () => {
    expect(evaluate('sectorIn', [], ['ai'])).toBe(false);
    expect(evaluate('sectorIn', undefined, ['ai'])).toBe(false);
    expect(evaluate('sectorIn', 'ai', ['ai'])).toBe(false);
  });
});

describe('hasAny', () => {
  it('holds when the lists share a code', () => {
    expect(evaluate('hasAny', ['chain-leader', 'industry-leader'], ['industry-leader'])).toBe(true);
    expect(evaluate('hasAny', ['chain-leader'], ['industry-association', 'platform-enterprise'])).toBe(false);
  });

  it('does not treat a parent and child code as related', () => {
    expect(evaluate('hasAny', ['ai/robotics'], ['ai'])).toBe(false);
  });

  it('is false for an empty list, a missing value or a scalar', () => {
    expect(evaluate('hasAny', [], ['chain-leader'])).toBe(false);
    expect(evaluate('hasAny', undefined, ['chain-leader'])).toBe(false);
    expect(evaluate('hasAny', 'chain-leader', ['chain-leader'])).toBe(false);
  });
});

describe('built-in operators restated', () => {
  it('in / equal compare scalars', () => {
    expect(evaluate('in', 'foreign', ['foreign', 'hk-macao-taiwan'])).toBe(true);
    expect(evaluate('in', 'private', ['foreign'])).toBe(false);
    expect(evaluate('equal', 'jingan', 'jingan')).toBe(true);
    expect(evaluate('equal', undefined, 'jingan')).toBe(false);
  });

  it('comparators reject values that are not number-like, as json-rules-engine does', () => {
    expect(evaluate('greaterThanInclusive', 100, 100)).toBe(true);
    expect(evaluate('greaterThan', 100, 100)).toBe(false);
    expect(evaluate('lessThanInclusive', 0.03, 0.05)).toBe(true);
    expect(evaluate('greaterThanInclusive', undefined, 0)).toBe(false);
    expect(evaluate('greaterThanInclusive', 'abc', 0)).toBe(false);
  });

  it('lists every json-rules-engine default operator and our two custom ones', () => {
    expect(Object.keys(BUILT_IN_OPERATORS).sort()).toEqual(
      ['contains', 'doesNotContain', 'equal', 'greaterThan', 'greaterThanInclusive', 'in', 'lessThan', 'lessThanInclusive', 'notEqual', 'notIn'].sort(),
    );
    expect(Object.keys(CUSTOM_OPERATORS).sort()).toEqual(['hasAny', 'sectorIn']);
  });
});

describe('isUnknownValue', () => {
  it('treats missing, null and an empty list as unknown — never as "no"', () => {
    expect(isUnknownValue(undefined)).toBe(true);
    expect(isUnknownValue(null)).toBe(true);
    expect(isUnknownValue([])).toBe(true);
    expect(isUnknownValue(['ai'])).toBe(false);
    expect(isUnknownValue(0)).toBe(false);
    expect(isUnknownValue('')).toBe(false);
  });
});

describe('registerCustomOperators', () => {
  it('makes json-rules-engine evaluate sectorIn and hasAny with the same semantics', async () => {
    const engine = registerCustomOperators(
      new Engine(
        [
          { name: 'sector', conditions: { all: [{ fact: 'sectors', operator: 'sectorIn', value: ['life-health'] }] }, event: { type: 'x' } },
          { name: 'role', conditions: { all: [{ fact: 'roles', operator: 'hasAny', value: ['chain-leader'] }] }, event: { type: 'x' } },
        ],
        { allowUndefinedFacts: true },
      ),
    );
    const { results } = await engine.run({ sectors: ['life-health/ivd'], roles: ['industry-leader'] });
    expect(results.map((r) => r.name)).toEqual(['sector']);
  });
});
