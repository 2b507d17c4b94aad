import { aProfile } from '../../../test/factories/profile.factory';
import { any, aRule, aRuleset, IN_FORCE, leaf, PLAN_PERIOD, TERM_UNKNOWN } from '../../../test/factories/rule.factory';
import { defaultDistricts, matchIds, matchProfile, profileIn } from './matcher';

const AS_OF = '2025-06-30';

describe('matches and explanations', () => {
  const ruleset = aRuleset([
    aRule({ id: 'drugs', conditions: [leaf.sectors(['life-health/innovative-drugs'])] }),
    aRule({ id: 'chain', conditions: [leaf.hasAny('roles', ['chain-leader', 'industry-leader'], 'leader')] }),
  ]);

  it('explains each condition that held with the profile value that satisfied it, in zh and en', () => {
    const out = matchProfile(ruleset, aProfile({ sectors: ['life-health/innovative-drugs', 'finance'] }), { asOf: AS_OF });
    const drugs = out.matches.find((m) => m.measureId === 'drugs')!;
    expect(drugs.scenario).toBe('current-location');
    expect(drugs.status).toBe('in-force');
    expect(drugs.explanation).toEqual([
      { condition: 'location', fact: 'location.district', values: ['jingan'], zh: '注册所在区：静安区', en: "District of registration: Jing'an" },
      {
        condition: 'sector',
        fact: 'sectors',
        values: ['life-health/innovative-drugs'],
        zh: '行业：生命健康/生物医药/创新药',
        en: expect.stringMatching(/^Sector: .*\/Innovative drugs$/),
      },
    ]);
    expect(drugs.factsUsed).toBe(1);
  });

  it('evaluates extension codes as the field they extend', () => {
    const rs = aRuleset([aRule({ id: 'care', conditions: [leaf.hasAny('roles', ['elderly-care-institution'])] })]);
    expect(matchIds(rs, aProfile({ additionalRoles: ['elderly-care-institution'] }))).toEqual(['care']);
    expect(matchIds(rs, aProfile({ roles: ['chain-leader'] }))).toEqual([]);
  });
});

describe('near misses', () => {
  const ruleset = aRuleset([
    aRule({ id: 'drugs-chain', conditions: [leaf.sectors(['life-health/innovative-drugs']), leaf.hasAny('roles', ['chain-leader'])] }),
    aRule({ id: 'two-failures', conditions: [leaf.sectors(['ai']), leaf.hasAny('plans', ['ipo'])] }),
  ]);

  it('one failed known condition on a fact the company can change: one-change, with the codes that would satisfy it', () => {
    const out = matchProfile(ruleset, aProfile({ sectors: ['ai'], plans: ['brand-building'] }), { asOf: AS_OF });
    expect(out.matches).toEqual([]);
    const miss = out.nearMisses.find((n) => n.measureId === 'two-failures')!;
    expect(miss.reason).toBe('one-change');
    expect(miss.missing).toEqual([]);
    expect(miss.failed).toEqual([
      expect.objectContaining({
        condition: 'plans',
        fact: 'plans',
        profileValue: ['brand-building'],
        satisfiedBy: ['ipo'],
        detailNeeded: false,
      }),
    ]);
  });

  it('one failed condition on what the company is (roles) is no near miss', () => {
    const out = matchProfile(ruleset, aProfile({ sectors: ['life-health/innovative-drugs'], roles: ['industry-association'] }), { asOf: AS_OF });
    expect(out.nearMisses.map((n) => n.measureId)).not.toContain('drugs-chain');
    expect(out.nearMissesTotal).toBe(out.nearMisses.length);
  });

  it('two failed known conditions are no near miss', () => {
    const out = matchProfile(ruleset, aProfile({ sectors: ['finance'], plans: ['brand-building'], roles: ['industry-association'] }), { asOf: AS_OF });
    expect(out.nearMisses.map((n) => n.measureId)).not.toContain('two-failures');
  });

  it('names the unknown facts and what the rule would accept', () => {
    const out = matchProfile(ruleset, aProfile({ roles: ['chain-leader'] }), { asOf: AS_OF });
    const miss = out.nearMisses.find((n) => n.measureId === 'drugs-chain')!;
    expect(miss.reason).toBe('needs-info');
    expect(miss.missing).toEqual([{ fact: 'sectors', zh: '行业', en: 'Sector', satisfiedBy: ['life-health/innovative-drugs'] }]);
    expect(miss.failed).toEqual([]);
  });

  it('a parent sector given for a rule on a child sector fails on the sector: no near miss', () => {
    const out = matchProfile(ruleset, aProfile({ sectors: ['life-health'], roles: ['chain-leader'] }), { asOf: AS_OF });
    expect(out.nearMisses.map((n) => n.measureId)).not.toContain('drugs-chain');
  });

  it('does not ask for an alternative the profile has already satisfied', () => {
    const rs = aRuleset([
      aRule({
        id: 'life-addressee',
        conditions: [
          leaf.sectors(['life-health']),
          any('addressee', leaf.hasAny('roles', ['chain-leader']), leaf.hasAny('qualifications', ['hidden-champion'])),
        ],
      }),
    ]);
    const out = matchProfile(rs, aProfile({ roles: ['chain-leader'] }), { asOf: AS_OF });
    expect(out.nearMisses[0].missing.map((m) => m.fact)).toEqual(['sectors']);
    expect(out.questions.map((q) => q.fact)).toEqual(['sectors']);
  });
});

describe('questions', () => {
  it('rank the unknown facts by how many measures they would decide, options by usefulness', () => {
    const ruleset = aRuleset([
      aRule({ id: 'a', conditions: [leaf.sectors(['ai'])] }),
      aRule({ id: 'b', conditions: [leaf.sectors(['ai', 'ic'])] }),
      aRule({ id: 'c', conditions: [leaf.sectors(['ic']), leaf.hasAny('plans', ['ipo'])] }),
      aRule({ id: 'd', conditions: [leaf.hasAny('roles', ['chain-leader'])] }),
    ]);
    const out = matchProfile(ruleset, aProfile({ plans: ['ipo'] }), { asOf: AS_OF });
    expect(out.questions.map((q) => [q.fact, q.decides, q.measureIds])).toEqual([
      ['sectors', 3, ['a', 'b', 'c']],
      ['roles', 1, ['d']],
    ]);
    expect(out.questions[0].options).toEqual([
      { value: 'ai', measures: 2 },
      { value: 'ic', measures: 2 },
    ]);
    expect(out.questions[0]).toMatchObject({ zh: '行业', en: 'Sector' });
  });
});

describe('districts and relocation', () => {
  const ruleset = aRuleset([
    aRule({ id: 'jingan-general', district: 'jingan' }),
    aRule({ id: 'jingan-suhe', district: 'jingan', conditions: [leaf.area(['jingan/suhe-bay'])] }),
    aRule({ id: 'xuhui-general', district: 'xuhui' }),
    aRule({ id: 'xuhui-west-bund', district: 'xuhui', conditions: [leaf.area(['xuhui/west-bund'])] }),
    aRule({ id: 'qingpu-general', district: 'qingpu' }),
  ]);

  it('default districts: the own district, or all three for a company elsewhere', () => {
    expect(defaultDistricts(aProfile({ location: { district: 'xuhui' } }))).toEqual(['xuhui']);
    expect(defaultDistricts(aProfile({ location: { district: 'other-shanghai' } }))).toEqual(['xuhui', 'jingan', 'qingpu']);
    expect(defaultDistricts(aProfile({ location: { district: 'outside-shanghai' } }))).toEqual(['xuhui', 'jingan', 'qingpu']);
    expect(matchProfile(ruleset, aProfile({ location: { district: 'xuhui' } }), { asOf: AS_OF }).districts).toEqual(['xuhui']);
  });

  it('a company from outside Shanghai is evaluated everywhere as a relocation', () => {
    const out = matchProfile(ruleset, aProfile({ location: { district: 'outside-shanghai' } }), { asOf: AS_OF });
    expect(out.matches.map((m) => [m.measureId, m.scenario])).toEqual([
      ['xuhui-general', 'relocation'],
      ['jingan-general', 'relocation'],
      ['qingpu-general', 'relocation'],
    ]);
    expect(out.matches[0].explanation[0].zh).toBe('注册所在区：徐汇区（迁入情景）');
    expect(out.matches[0].explanation[0].en).toBe('District of registration: Xuhui (relocation scenario)');
  });

  it('relocating drops the area of the old district: area rules there become unknown, not matched', () => {
    const profile = aProfile({ location: { district: 'xuhui', area: 'xuhui/west-bund' } });
    expect(profileIn(profile, 'jingan')).toEqual({ location: { district: 'jingan' } });
    const out = matchProfile(ruleset, profile, { districts: ['xuhui', 'jingan'], asOf: AS_OF });
    expect(out.matches.map((m) => [m.measureId, m.scenario])).toEqual([
      ['xuhui-west-bund', 'current-location'],
      ['xuhui-general', 'current-location'],
      ['jingan-general', 'relocation'],
    ]);
    const suhe = out.nearMisses.find((n) => n.measureId === 'jingan-suhe')!;
    expect(suhe).toMatchObject({
      scenario: 'relocation',
      reason: 'needs-info',
      missing: [expect.objectContaining({ fact: 'location.area', satisfiedBy: ['jingan/suhe-bay'] })],
    });
  });

  it('the own district keeps its area and its extension facts', () => {
    const profile = aProfile({ location: { area: 'jingan/suhe-bay' }, roles: ['chain-leader'], additionalRoles: ['elderly-care-institution'] });
    expect(profileIn(profile, 'jingan')).toEqual({ ...profile, roles: ['chain-leader', 'elderly-care-institution'] });
    expect(matchIds(ruleset, profile)).toEqual(['jingan-general', 'jingan-suhe']);
  });
});

describe('ordering and validity', () => {
  const ruleset = aRuleset([
    aRule({ id: 'general', conditions: [] }),
    aRule({ id: 'targeted-one-fact', conditions: [leaf.hasAny('roles', ['chain-leader'])] }),
    aRule({ id: 'targeted-two-facts', conditions: [leaf.hasAny('roles', ['chain-leader']), leaf.sectors(['ai'])] }),
    aRule({
      id: 'expired-targeted',
      conditions: [leaf.hasAny('roles', ['chain-leader']), leaf.sectors(['ai'])],
      validity: { validFrom: '2021-01-01', validTo: '2024-12-31', basis: 'plan-period' },
    }),
    aRule({ id: 'no-term', conditions: [leaf.hasAny('roles', ['chain-leader'])], validity: TERM_UNKNOWN }),
    aRule({ id: 'plan', conditions: [], validity: PLAN_PERIOD }),
  ]);
  const profile = aProfile({ roles: ['chain-leader'], sectors: ['ai/robotics'] });

  it('in force first, then targeted before general, then more facts used; expired last and flagged', () => {
    const out = matchProfile(ruleset, profile, { asOf: '2025-01-15' });
    expect(out.matches.map((m) => [m.measureId, m.status])).toEqual([
      ['targeted-two-facts', 'in-force'],
      ['targeted-one-fact', 'in-force'],
      ['general', 'in-force'],
      ['plan', 'in-force'],
      ['no-term', 'term-unknown'],
      ['expired-targeted', 'expired'],
    ]);
    expect(out.matches.find((m) => m.measureId === 'expired-targeted')).toMatchObject({ validTo: '2024-12-31' });
  });

  it('includeExpired: false drops expired measures', () => {
    const out = matchProfile(ruleset, profile, { asOf: '2025-01-15', includeExpired: false });
    expect(out.matches.map((m) => m.measureId)).not.toContain('expired-targeted');
    expect(out.matches).toHaveLength(5);
  });

  it('a measure not yet in force is reported after those in force', () => {
    const out = matchProfile(ruleset, profile, { asOf: '2024-06-01' });
    expect(out.matches.map((m) => [m.measureId, m.status])).toEqual([
      ['expired-targeted', 'in-force'],
      ['plan', 'in-force'],
      ['no-term', 'term-unknown'],
      ['targeted-two-facts', 'not-yet-in-force'],
      ['targeted-one-fact', 'not-yet-in-force'],
      ['general', 'not-yet-in-force'],
    ]);
    expect(IN_FORCE.validFrom).toBe('2024-12-09');
  });
});
