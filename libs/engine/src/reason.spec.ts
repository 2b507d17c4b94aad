import type { BlockCondition, RuleDefinition } from '@matcher/catalog';
import { compileRule } from './compile';
import { reasonOf } from './reason';
import { FALSE, TRUE, UNKNOWN } from './tri';

function rule(conditions: BlockCondition): RuleDefinition {
  return {
    name: 'test-rule',
    conditions,
    event: {
      type: 'measure-eligible',
      params: {
        measureId: 'test-rule',
        district: 'jingan',
        kind: 'measure',
        title: 't',
        titleEn: 't',
        summary: 's',
        summaryEn: 's',
        departments: [{ name: '区商务委', source: 'inferred' }],
        source: { documentId: 'd', section: ['一'], quote: 'q' },
        supportType: ['funding'],
        validity: { validFrom: null, validTo: null, basis: 'unknown' },
      },
    },
  };
}

const location = { name: 'location', fact: 'location', path: '$.district', operator: 'equal', value: 'jingan' };
const area = { name: 'area', fact: 'location', path: '$.area', operator: 'in', value: ['jingan/nanjing-west'] };
const sector = { name: 'sector', fact: 'sectors', operator: 'sectorIn', value: ['finance'] };
const plan = { name: 'plan', fact: 'plans', operator: 'hasAny', value: ['relocate-in'] };
const role = { name: 'role', fact: 'roles', operator: 'hasAny', value: ['chain-leader'] };
const employees = { name: 'size', fact: 'metrics', path: '$.employees', operator: 'greaterThanInclusive', value: 50 };

const reason = (conditions: BlockCondition, facts: Record<string, unknown>) => reasonOf(compileRule(rule(conditions)), facts);
const jingan = { location: { district: 'jingan' } };

describe('reasonOf: the exact reason a rule does not hold, three-valued', () => {
  it('gives no reason when the rule holds', () => {
    expect(reason({ name: 'r', all: [location, sector] }, { ...jingan, sectors: ['finance/banking'] })).toEqual({ verdict: TRUE, failed: [], missing: [] });
  });

  it('in an all, names the false leaves as failed and the unknown ones as missing, not the true ones', () => {
    const r = reason({ name: 'r', all: [location, sector, plan, employees] }, { ...jingan, sectors: ['digital'], metrics: {} });
    expect(r.verdict).toBe(FALSE);
    expect(r.failed).toEqual(['sector']);
    expect(r.missing.sort()).toEqual(['metrics.employees', 'plans']);
  });

  it('counts an empty list and an absent path as unknown, and another district as failed', () => {
    const r = reason({ name: 'r', all: [location, area, sector] }, { location: { district: 'xuhui' }, sectors: [] });
    expect(r).toEqual({ verdict: FALSE, failed: ['location'], missing: expect.arrayContaining(['location.area', 'sectors']) });
    expect(r.missing).toHaveLength(2);
  });

  it('in an any that is not true, descends into every alternative', () => {
    const r = reason(
      { name: 'r', all: [location, { name: 'who', any: [sector, role, plan] }] },
      { ...jingan, sectors: ['digital'], roles: ['industry-association'] },
    );
    expect(r).toEqual({ verdict: UNKNOWN, failed: ['sector', 'role'], missing: ['plans'] });
  });

  it('skips an all whose parts all hold and an any that holds', () => {
    const holds = { name: 'ok', any: [sector, role] };
    const r = reason({ name: 'r', all: [location, holds, plan] }, { ...jingan, sectors: ['finance'], plans: ['expand-capacity'] });
    expect(r).toEqual({ verdict: FALSE, failed: ['plan'], missing: [] });
  });

  it('in a not, seeks the opposite: a leaf that holds under it has failed; under it an all is searched as an any', () => {
    expect(reason({ name: 'r', all: [location, { name: 'n', not: role }] }, { ...jingan, roles: ['chain-leader'] })).toEqual({
      verdict: FALSE,
      failed: ['role'],
      missing: [],
    });
    const r = reason({ name: 'r', all: [location, { name: 'n', not: { name: 'both', all: [sector, role] } }] }, { ...jingan, sectors: ['finance'] });
    expect(r).toEqual({ verdict: UNKNOWN, failed: ['sector'], missing: ['roles'] });
  });

  it('collapses duplicates', () => {
    const r = reason({ name: 'r', all: [location, { name: 'a', any: [plan, { name: 'b', all: [sector, { ...plan, name: 'plan-2' }] }] }] }, jingan);
    expect(r).toEqual({ verdict: UNKNOWN, failed: [], missing: expect.arrayContaining(['plans', 'sectors']) });
    expect(r.missing).toHaveLength(2);
  });
});
