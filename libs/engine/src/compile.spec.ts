import type { CompanyProfile } from '@matcher/catalog';
import { oracleOf } from './testing';
import { aProfile } from '../../../test/factories/profile.factory';
import { all, any, aRule, leaf, not } from '../../../test/factories/rule.factory';
import { compileRule, type CompiledRule } from './compile';
import { profileIn } from './matcher';
import { createReferenceEngine, runReference } from './reference';
import { FALSE, TRUE, UNKNOWN, type Tri } from './tri';

const facts = (p: CompanyProfile): Record<string, unknown> => profileIn(p, 'jingan');

function leafStates(rule: CompiledRule, profile: Record<string, unknown>): { states: Uint8Array; raw: Uint8Array } {
  const states = new Uint8Array(rule.leaves.length);
  const raw = new Uint8Array(rule.leaves.length);
  oracleOf(rule).evaluateLeaves(profile, states, raw);
  return { states, raw };
}

const lifeHealthForChainLeaders = aRule({
  id: 'life-health-chain',
  conditions: [leaf.sectors(['life-health']), any('addressee', leaf.hasAny('roles', ['chain-leader']), leaf.hasAny('qualifications', ['hidden-champion']))],
});

describe('three-valued evaluation', () => {
  const rule = compileRule(lifeHealthForChainLeaders);
  const verdict = (p: CompanyProfile): Tri => oracleOf(rule).match(facts(p));

  it('is TRUE when every part holds', () => {
    expect(verdict(aProfile({ sectors: ['life-health/ivd'], roles: ['chain-leader'] }))).toBe(TRUE);
  });

  it('is FALSE when a known fact fails', () => {
    expect(verdict(aProfile({ sectors: ['finance'], roles: ['chain-leader'] }))).toBe(FALSE);
  });

  it('a missing field is unknown, not "no"', () => {
    expect(verdict(aProfile({ roles: ['chain-leader'] }))).toBe(UNKNOWN);
  });

  it('an empty list is unknown, not "no"', () => {
    expect(verdict(aProfile({ sectors: [], roles: ['chain-leader'] }))).toBe(UNKNOWN);
  });

  it('an unknown alternative does not matter once another alternative holds, and a known failure settles an all', () => {
    expect(verdict(aProfile({ sectors: ['life-health'], qualifications: ['hidden-champion'] }))).toBe(TRUE);
    expect(verdict(aProfile({ sectors: ['finance'] }))).toBe(FALSE);
    expect(verdict(aProfile({ sectors: ['life-health'], roles: ['industry-leader'] }))).toBe(UNKNOWN);
  });

  it('a missing path inside a known object is unknown; a location in another district is FALSE', () => {
    const area = compileRule(aRule({ conditions: [leaf.area(['jingan/suhe-bay'])] }));
    expect(oracleOf(area).match(facts(aProfile()))).toBe(UNKNOWN);
    expect(oracleOf(area).match(facts(aProfile({ location: { area: 'jingan/suhe-bay' } })))).toBe(TRUE);
    expect(oracleOf(area).match({ location: { district: 'xuhui', area: 'xuhui/west-bund' } })).toBe(FALSE);
  });

  it('not: negates TRUE and FALSE, keeps UNKNOWN unknown', () => {
    const notForeign = compileRule(aRule({ conditions: [not('not-foreign', leaf.oneOf('ownership', ['foreign']))] }));
    expect(oracleOf(notForeign).match(facts(aProfile({ ownership: 'private' })))).toBe(TRUE);
    expect(oracleOf(notForeign).match(facts(aProfile({ ownership: 'foreign' })))).toBe(FALSE);
    expect(oracleOf(notForeign).match(facts(aProfile()))).toBe(UNKNOWN);
    expect(notForeign.leaves[1].negated).toBe(true);
  });

  it('evaluateLeaves gives each leaf its state and json-rules-engine raw result', () => {
    const { states, raw } = leafStates(rule, facts(aProfile({ sectors: [], roles: ['industry-leader'] })));
    expect([...states]).toEqual([TRUE, UNKNOWN, FALSE, UNKNOWN]);
    expect([...raw]).toEqual([1, 0, 0, 0]);
  });
});

describe('compiled match == combine(evaluateLeaves) == json-rules-engine', () => {
  // Every combination of missing / empty / satisfying / failing for four facts, through all, any and not.
  const definition = aRule({
    id: 'shape',
    conditions: [
      leaf.sectors(['life-health/innovative-drugs', 'ai']),
      any(
        'addressee',
        leaf.hasAny('roles', ['chain-leader']),
        all('foreign-hq', leaf.oneOf('ownership', ['foreign']), not('not-central-soe', leaf.hasAny('headquarters', ['central-soe']))),
      ),
    ],
  });
  const rule = compileRule(definition);
  const engine = createReferenceEngine([definition]);
  const options = {
    sectors: [undefined, [], ['life-health/innovative-drugs'], ['life-health'], ['ai/robotics'], ['finance']],
    roles: [undefined, [], ['chain-leader'], ['industry-association']],
    ownership: [undefined, 'foreign', 'private'],
    headquarters: [undefined, [], ['central-soe'], ['rd-center']],
  };
  const profiles: CompanyProfile[] = [];
  for (const sectors of options.sectors)
    for (const roles of options.roles)
      for (const ownership of options.ownership)
        for (const headquarters of options.headquarters)
          profiles.push(JSON.parse(JSON.stringify(aProfile({ sectors, roles, ownership, headquarters }))) as CompanyProfile);

  it(`agree on all ${profiles.length} combinations, leaf by leaf`, async () => {
    for (const p of profiles) {
      const f = facts(p);
      const { states, raw } = leafStates(rule, f);
      expect(oracleOf(rule).match(f)).toBe(oracleOf(rule).combine(states));
      const ref = (await runReference(engine, f)).get('shape')!;
      expect({ profile: p, passed: oracleOf(rule).combineRaw(raw), raw: [...raw], states: [...states] }).toEqual({
        profile: p,
        passed: ref.passed,
        raw: [...ref.raw],
        states: [...ref.states],
      });
      // Three-valued TRUE implies json-rules-engine passes; FALSE implies it fails.
      if (oracleOf(rule).combine(states) === TRUE) expect(ref.passed).toBe(true);
      if (oracleOf(rule).combine(states) === FALSE) expect(ref.passed).toBe(false);
    }
  });
});

describe('openLeaves', () => {
  const rule = compileRule(lifeHealthForChainLeaders);

  it('names the unknown leaves that could still decide the verdict', () => {
    const { states } = leafStates(rule, facts(aProfile()));
    expect(rule.openLeaves(states).map((l) => l.condition.name)).toEqual(['sector', 'roles', 'qualifications']);
  });

  it('leaves out an unknown alternative when another alternative already holds', () => {
    const { states } = leafStates(rule, facts(aProfile({ roles: ['chain-leader'] })));
    expect(rule.openLeaves(states).map((l) => l.condition.name)).toEqual(['sector']);
  });

  it('keeps an alternative that could still decide once the others are known', () => {
    const { states } = leafStates(rule, facts(aProfile({ roles: ['industry-association'] })));
    expect(rule.openLeaves(states).map((l) => l.condition.name)).toEqual(['sector', 'qualifications']);
  });
});

describe('compileRule', () => {
  it('rejects an operator outside the table and a path the evaluator cannot read', () => {
    expect(() => compileRule(aRule({ conditions: [{ name: 'x', fact: 'roles', operator: 'hasAll', value: ['chain-leader'] }] }))).toThrow(
      /unknown operator hasAll/,
    );
    expect(() => compileRule(aRule({ conditions: [{ name: 'x', fact: 'location', path: '$..area', operator: 'equal', value: 'a' }] }))).toThrow(
      /unsupported path/,
    );
  });

  it('reads a path as json-rules-engine does: on a non-object fact the value itself', () => {
    const rule = compileRule(aRule({ conditions: [] }));
    expect(rule.leaves[0].read({ location: 'jingan' })).toBe('jingan');
    expect(rule.leaves[0].read({ location: { district: 'xuhui' } })).toBe('xuhui');
    expect(rule.leaves[0].read({})).toBeUndefined();
  });

  it('numbers leaves depth-first and records the fact each reads', () => {
    const rule = compileRule(lifeHealthForChainLeaders);
    expect(rule.leaves.map((l) => [l.index, l.factKey])).toEqual([
      [0, 'location.district'],
      [1, 'sectors'],
      [2, 'roles'],
      [3, 'qualifications'],
    ]);
  });

  it('compares metrics with thresholds, a missing metric being unknown', () => {
    const rule = compileRule(aRule({ conditions: [leaf.metric('employees', 'greaterThanInclusive', 100)] }));
    expect(oracleOf(rule).match(facts(aProfile({ metrics: { employees: 100 } })))).toBe(TRUE);
    expect(oracleOf(rule).match(facts(aProfile({ metrics: { employees: 99 } })))).toBe(FALSE);
    expect(oracleOf(rule).match(facts(aProfile({ metrics: { annualTaxWan: 5 } })))).toBe(UNKNOWN);
    expect(oracleOf(rule).match(facts(aProfile()))).toBe(UNKNOWN);
  });
});
