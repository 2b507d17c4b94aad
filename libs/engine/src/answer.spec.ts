/**
 * The answer a company can trust: measures and priorities apart, near misses it can act on (ranked and
 * limited), questions only for measures in force, and a summary that leads with the truth as of the date.
 * Rules come from factories with an explicit kind, so these hold whatever the catalog review decides.
 */
import { aProfile } from '../../../test/factories/profile.factory';
import { all, any, aRule, aRuleset, IN_FORCE, leaf, PLAN_PERIOD, TERM_UNKNOWN } from '../../../test/factories/rule.factory';
import { compareDistricts } from './compare';
import { matchIds, matchProfile } from './matcher';

const TODAY = '2026-11-28';
const MID_2025 = '2025-06-01';

describe('kinds: measures match, priorities stand apart', () => {
  const ruleset = aRuleset([
    aRule({ id: 'ai-grant', conditions: [leaf.sectors(['ai'])] }),
    aRule({ id: 'ai-priority', kind: 'priority', conditions: [leaf.sectors(['ai'])] }),
    aRule({ id: 'bio-priority', kind: 'priority', conditions: [leaf.sectors(['life-health'])] }),
    aRule({ id: 'rd-priority', kind: 'priority', conditions: [leaf.hasAny('plans', ['set-up-rd-center'])] }),
  ]);

  it('matches are measures only; a priority naming the sector is listed with what it names, its section and quote', () => {
    const out = matchProfile(ruleset, aProfile({ sectors: ['ai/robotics'] }), { asOf: MID_2025 });
    expect(out.matches.map((m) => m.measureId)).toEqual(['ai-grant']);
    expect(out.priorities).toEqual([
      {
        measureId: 'ai-priority',
        district: 'jingan',
        title: '测试措施 ai-priority',
        titleEn: 'Test measure ai-priority',
        section: '一、测试',
        quote: '测试。',
        documentId: 'test-document',
        status: 'in-force',
        validFrom: IN_FORCE.validFrom,
        validTo: IN_FORCE.validTo,
        scenario: 'current-location',
        names: [expect.objectContaining({ fact: 'sectors', values: ['ai/robotics'] })],
      },
    ]);
    expect(out.summary.priorities).toBe(1);
  });

  it('a priority is never a near miss, nor the subject of a question', () => {
    const out = matchProfile(ruleset, aProfile({ sectors: ['finance'] }), { asOf: MID_2025 });
    expect(out.nearMisses.map((n) => n.measureId)).toEqual([]);
    expect(out.questions.flatMap((q) => q.measureIds)).not.toContain('rd-priority');
    expect(out.priorities).toEqual([]);
  });

  it('pass/fail screening (matchIds) counts measures only', () => {
    expect(matchIds(ruleset, aProfile({ sectors: ['ai'], plans: ['set-up-rd-center'] }))).toEqual(['ai-grant']);
  });

  it('a broad measure carries its note so the answer can say "check this yourself"', () => {
    const rule = aRule({ id: 'global-platform', conditions: [leaf.sectors(['ai'])] });
    Object.assign(rule.event.params, {
      precision: 'broad',
      precisionNote: '须为具有全球影响力的平台',
      precisionNoteEn: 'Must be a platform of global influence',
    });
    const out = matchProfile(aRuleset([rule]), aProfile({ sectors: ['ai'] }), { asOf: MID_2025 });
    expect(out.matches[0]).toMatchObject({
      precision: 'broad',
      precisionNote: '须为具有全球影响力的平台',
      precisionNoteEn: 'Must be a platform of global influence',
    });
  });
});

describe('near misses: only measures the company could reach', () => {
  const ruleset = aRuleset([
    aRule({ id: 'culture', conditions: [leaf.sectors(['culture-creative']), leaf.hasAny('plans', ['ipo'])] }),
    aRule({ id: 'licensed', conditions: [leaf.hasAny('roles', ['licensed-financial-institution'])] }),
    aRule({ id: 'foreign', conditions: [leaf.oneOf('ownership', ['foreign'])] }),
    aRule({ id: 'small', conditions: [leaf.oneOf('size', ['small', 'micro'])] }),
    aRule({ id: 'ipo', conditions: [leaf.sectors(['ai']), leaf.hasAny('plans', ['ipo'])] }),
    aRule({ id: 'hte', conditions: [leaf.sectors(['ai']), leaf.hasAny('qualifications', ['high-tech-enterprise'])] }),
    aRule({ id: 'suhe', conditions: [leaf.sectors(['ai']), leaf.area(['jingan/suhe-bay'])] }),
    aRule({ id: 'staff', conditions: [leaf.sectors(['ai']), leaf.metric('employees', 'greaterThanInclusive', 100)] }),
    aRule({ id: 'two-unknown', conditions: [leaf.hasAny('talent', ['overseas-talent']), leaf.hasAny('listing', ['star-market'])] }),
    aRule({ id: 'xuhui-ai', district: 'xuhui', conditions: [leaf.sectors(['ai'])] }),
  ]);
  const profile = aProfile({
    sectors: ['ai'],
    roles: ['industry-association'],
    ownership: 'private',
    size: 'large',
    plans: ['brand-building'],
    qualifications: ['specialized-sme'],
    location: { area: 'jingan/west-nanjing-road' },
    metrics: { employees: 20 },
  });

  it('never one failing on sectors, roles, ownership or size; nor on the district where the company is', () => {
    const out = matchProfile(ruleset, profile, { asOf: MID_2025 });
    const ids = out.nearMisses.map((n) => n.measureId);
    for (const id of ['culture', 'licensed', 'foreign', 'small', 'xuhui-ai']) expect(ids).not.toContain(id);
    expect(
      out.nearMisses.flatMap((n) => n.failed.map((f) => f.fact)).filter((f) => ['sectors', 'roles', 'ownership', 'size', 'location.district'].includes(f)),
    ).toEqual([]);
  });

  it('one-change on plans, qualifications, area and metrics; needs-info names the unknown facts', () => {
    const out = matchProfile(ruleset, profile, { asOf: MID_2025 });
    const byId = new Map(out.nearMisses.map((n) => [n.measureId, n]));
    expect(byId.get('ipo')).toMatchObject({ reason: 'one-change', failed: [expect.objectContaining({ fact: 'plans' })] });
    expect(byId.get('hte')).toMatchObject({ reason: 'one-change', failed: [expect.objectContaining({ fact: 'qualifications' })] });
    expect(byId.get('suhe')).toMatchObject({ reason: 'one-change', failed: [expect.objectContaining({ fact: 'location.area' })] });
    expect(byId.get('staff')).toMatchObject({ reason: 'one-change', failed: [expect.objectContaining({ fact: 'metrics.employees' })] });
    expect(byId.get('two-unknown')).toMatchObject({
      reason: 'needs-info',
      missing: [expect.objectContaining({ fact: 'talent' }), expect.objectContaining({ fact: 'listing' })],
    });
    expect(out.nearMissesTotal).toBe(5);
    expect(out.summary.nearMisses).toEqual({ total: 5, needsInfo: 1, oneChange: 4 });
  });

  it('an alternative on a changeable fact makes a one-change naming only that fact', () => {
    const rs = aRuleset([aRule({ id: 'either', conditions: [any('addressee', leaf.sectors(['culture-creative']), leaf.hasAny('plans', ['ipo']))] })]);
    const out = matchProfile(rs, aProfile({ sectors: ['ai'], plans: ['brand-building'] }), { asOf: MID_2025 });
    expect(out.nearMisses).toEqual([
      expect.objectContaining({ measureId: 'either', reason: 'one-change', failed: [expect.objectContaining({ fact: 'plans' })] }),
    ]);
  });

  it('in another district (relocation) the district is never what fails', () => {
    const out = matchProfile(ruleset, profile, { districts: ['jingan', 'xuhui'], asOf: MID_2025 });
    expect(out.matches.map((m) => [m.measureId, m.scenario])).toEqual([['xuhui-ai', 'relocation']]);
  });
});

describe('near misses: ranked and limited', () => {
  const rules = [
    aRule({
      id: 'expired-one-question',
      conditions: [leaf.hasAny('plans', ['ipo'])],
      validity: { validFrom: '2021-01-01', validTo: '2024-12-31', basis: 'plan-period' },
    }),
    aRule({ id: 'two-questions', conditions: [leaf.hasAny('plans', ['ipo']), leaf.hasAny('talent', ['overseas-talent'])] }),
    aRule({ id: 'one-question', conditions: [leaf.hasAny('qualifications', ['high-tech-enterprise'])] }),
    aRule({ id: 'no-term-question', conditions: [leaf.hasAny('listing', ['star-market'])], validity: TERM_UNKNOWN }),
    ...Array.from({ length: 20 }, (_, i) =>
      aRule({
        id: `bulk-${String(i).padStart(2, '0')}`,
        conditions: [leaf.hasAny('plans', ['ipo']), leaf.hasAny('talent', ['overseas-talent']), leaf.hasAny('listing', ['star-market'])],
      }),
    ),
  ];
  const ruleset = aRuleset(rules);
  const thin = aProfile({});

  it('a question any company can answer first, then fewest facts, then in force before expired; at most nearMissLimit, nearMissesTotal counts them all', () => {
    const out = matchProfile(ruleset, thin, { asOf: '2025-06-01' });
    expect(out.nearMissesTotal).toBe(24);
    expect(out.nearMisses).toHaveLength(10);
    expect(out.nearMisses.slice(0, 4).map((n) => n.measureId)).toEqual(['no-term-question', 'one-question', 'expired-one-question', 'two-questions']);
    expect(matchProfile(ruleset, thin, { asOf: '2025-06-01', nearMissLimit: 0 }).nearMisses).toEqual([]);
    expect(matchProfile(ruleset, thin, { asOf: '2025-06-01', nearMissLimit: 100 }).nearMisses).toHaveLength(24);
    expect(matchProfile(ruleset, thin, { asOf: '2025-06-01', nearMissLimit: 3 }).nearMisses.map((n) => n.measureId)).toEqual([
      'no-term-question',
      'one-question',
      'expired-one-question',
    ]);
  });

  it('targeted before general at the same closeness', () => {
    const rs = aRuleset([
      aRule({ id: 'a-general-ish', conditions: [any('either', leaf.hasAny('plans', ['ipo']), leaf.hasAny('plans', ['brand-building']))] }),
      aRule({ id: 'b-targeted', conditions: [leaf.sectors(['ai']), leaf.hasAny('plans', ['ipo'])] }),
    ]);
    const out = matchProfile(rs, aProfile({ sectors: ['ai'] }), { asOf: MID_2025 });
    expect(out.nearMisses.map((n) => [n.measureId, n.factsUsed])).toEqual([
      ['b-targeted', 1],
      ['a-general-ish', 0],
    ]);
  });

  it('questions rank only facts that decide measures in force (or of unstated term) as of the date', () => {
    const out = matchProfile(ruleset, thin, { asOf: '2025-06-01' });
    const plans = out.questions.find((q) => q.fact === 'plans')!;
    expect(plans.measureIds).not.toContain('expired-one-question');
    expect(out.questions.map((q) => q.fact)).toEqual(['listing', 'plans', 'talent', 'qualifications']);
    expect(out.summary.questionsNote).toBeNull();
  });

  it('when every undecided measure has expired there are no questions, and the summary says why', () => {
    const out = matchProfile(ruleset, thin, { asOf: TODAY });
    expect(out.questions.map((q) => q.fact)).toEqual(['listing']);
    const expiredOnly = aRuleset([rules[0]]);
    const none = matchProfile(expiredOnly, thin, { asOf: TODAY });
    expect(none.questions).toEqual([]);
    expect(none.nearMissesTotal).toBe(1);
    expect(none.summary.questionsNote?.zh).toBe('截至2026年11月28日，尚未填写的信息只关系到已到期的措施，因此没有需要补充的问题。');
  });

  it('includeExpired: false hides expired near misses and their counts alike', () => {
    const out = matchProfile(ruleset, thin, { asOf: TODAY, includeExpired: false, nearMissLimit: 100 });
    expect(out.nearMisses.map((n) => n.measureId)).toEqual(['no-term-question']);
    expect(out.nearMissesTotal).toBe(1);
    expect(out.summary.nearMisses.total).toBe(1);
  });
});

describe('summary: the truth as of the date leads', () => {
  const expiring = { validFrom: '2024-12-09', validTo: '2025-12-31', basis: 'stated' } as const;
  const ruleset = aRuleset([
    ...Array.from({ length: 10 }, (_, i) =>
      aRule({ id: `jingan-${i}`, district: 'jingan', validity: expiring, conditions: i % 2 ? [leaf.sectors(['ai'])] : [] }),
    ),
    ...Array.from({ length: 6 }, (_, i) => aRule({ id: `qingpu-${i}`, district: 'qingpu', validity: TERM_UNKNOWN })),
    aRule({ id: 'jingan-priority', district: 'jingan', kind: 'priority', validity: PLAN_PERIOD, conditions: [leaf.sectors(['ai'])] }),
  ]);
  const profile = aProfile({ sectors: ['ai'] });

  it("today: all 10 expired on 2025-12-31, Qingpu's 6 state no term (the issue's example)", () => {
    const out = matchProfile(ruleset, profile, { asOf: TODAY, districts: ['jingan', 'qingpu'] });
    expect(out.summary.matches).toEqual({ total: 16, inForce: 0, termUnknown: 6, notYetInForce: 0, expired: 10 });
    expect(out.summary.lastInForce).toBe('2025-12-31');
    expect(out.summary.headline.zh).toBe(
      '截至2026年11月28日，匹配到的10项措施均已于2025年12月31日到期；青浦区6项措施未载明期限，请向责任部门确认。另有1项2021–2025 规划中的重点方向提到您的行业、区域或计划（规划期已结束）。',
    );
    expect(out.summary.headline.en).toBe(
      "As of 28 November 2026, all 10 matched measures expired on 31 December 2025; 6 Qingpu measures state no term: confirm with the responsible department. 1 priority of the district's 2021–2025 plans names your sector, area or plans (the plan period has ended).",
    );
    // Own district first, then in force: Jing'an's expired measures before Qingpu's relocation scenario.
    expect(out.matches[0].scenario).toBe('current-location');
  });

  it('on 2025-06-01: 10 in force until 2025-12-31', () => {
    const out = matchProfile(ruleset, profile, { asOf: MID_2025, districts: ['jingan', 'qingpu'] });
    expect(out.summary.matches).toEqual({ total: 16, inForce: 10, termUnknown: 6, notYetInForce: 0, expired: 0 });
    expect(out.summary.targeted).toBe(5);
    expect(out.summary.general).toBe(11);
    expect(out.summary.headline.zh).toBe(
      '截至2025年6月1日，10项匹配的措施有效（有效期至2025年12月31日）；青浦区6项措施未载明期限，请向责任部门确认。另有1项区重点发展方向与您相关。',
    );
  });

  it('nothing matched', () => {
    const out = matchProfile(ruleset, aProfile({ location: { district: 'xuhui' } }), { asOf: TODAY });
    expect(out.summary.headline).toEqual({ zh: '截至2026年11月28日，没有匹配到的措施。', en: 'As of 28 November 2026, no measure matches.' });
    expect(out.summary.lastInForce).toBeNull();
  });
});

describe('compare: which district offers my company more', () => {
  const ruleset = aRuleset([
    aRule({ id: 'jingan-grant', district: 'jingan', conditions: [leaf.sectors(['ai'])] }),
    aRule({ id: 'jingan-space', district: 'jingan', conditions: [] }),
    aRule({ id: 'xuhui-grant', district: 'xuhui', conditions: [all('ai-ipo', leaf.sectors(['ai']), leaf.hasAny('plans', ['ipo']))] }),
    aRule({ id: 'qingpu-open', district: 'qingpu', validity: TERM_UNKNOWN, conditions: [leaf.sectors(['ai'])] }),
    aRule({ id: 'qingpu-ai-priority', district: 'qingpu', kind: 'priority', validity: TERM_UNKNOWN, conditions: [leaf.sectors(['ai'])] }),
  ]);
  const profile = aProfile({ sectors: ['ai'], plans: ['ipo'] });

  it('per district: in force and all, by support type, only-here, priorities naming the sector, and a verdict', () => {
    const mid = compareDistricts(ruleset, profile, { asOf: MID_2025 });
    const jingan = mid.districts.find((d) => d.district === 'jingan')!;
    expect(jingan.counts).toMatchObject({ matches: 2, inForce: 2, termUnknown: 0, expired: 0 });
    expect(jingan.bySupportType).toEqual([{ supportType: 'facilitation', measures: 2, inForce: 2 }]);
    const qingpu = mid.districts.find((d) => d.district === 'qingpu')!;
    expect(qingpu.counts).toMatchObject({ matches: 1, inForce: 0, termUnknown: 1, priorities: 1 });
    expect(qingpu.sectorPriorities.map((p) => p.measureId)).toEqual(['qingpu-ai-priority']);
    expect(mid.districts.find((d) => d.district === 'xuhui')!.onlyHere.map((m) => m.measureId)).toEqual(['xuhui-grant']);
    expect(mid.verdict.zh).toBe('截至2025年6月1日，静安区为贵企业提供的有效措施最多（2项）。');

    const today = compareDistricts(ruleset, profile, { asOf: TODAY });
    expect(today.districts.find((d) => d.district === 'jingan')!.counts).toMatchObject({ matches: 2, inForce: 0, expired: 2 });
    expect(today.verdict.zh).toBe('截至2026年11月28日，三区均没有有效的匹配措施；青浦区有1项匹配措施未载明期限，请向责任部门确认。');
  });
});

describe('near misses: alternatives, relevance to the company, and what a company can change', () => {
  const ruleset = aRuleset([
    aRule({ id: 'for-park-operators', conditions: [leaf.hasAny('roles', ['park-or-building-operator'])] }),
    aRule({ id: 'for-labs', conditions: [leaf.hasAny('roles', ['university-or-research-institute'])] }),
    aRule({ id: 'smart-factory-award', conditions: [leaf.hasAny('qualifications', ['smart-factory'])] }),
    aRule({ id: 'laozihao', conditions: [leaf.hasAny('qualifications', ['time-honored-brand'])] }),
    aRule({
      id: 'finance-either',
      conditions: [any('addressee', leaf.hasAny('plans', ['ip-financing'], 'ip-loan'), leaf.hasAny('plans', ['issue-green-bonds'], 'bonds'))],
    }),
    aRule({ id: 'size-question', conditions: [leaf.oneOf('size', ['small', 'micro'])] }),
  ]);
  const maker = aProfile({ sectors: ['manufacturing/intelligent-equipment'], plans: ['smart-transformation'], qualifications: ['high-tech-enterprise'] });

  it('the change the company plans comes first; questions it can answer next; other kinds of organisation last', () => {
    const out = matchProfile(ruleset, maker, { asOf: MID_2025 });
    const ids = out.nearMisses.map((n) => n.measureId);
    expect(ids[0]).toBe('smart-factory-award');
    expect(ids.indexOf('size-question')).toBeLessThan(ids.indexOf('for-park-operators'));
    expect(ids.slice(-2).sort()).toEqual(['for-labs', 'for-park-operators']);
  });

  it('never offers as the change a qualification the company cannot acquire (老字号)', () => {
    const out = matchProfile(ruleset, maker, { asOf: MID_2025 });
    expect(out.nearMisses.map((n) => n.measureId)).not.toContain('laozihao');
    expect(out.summary.nearMisses.oneChange).toBe(out.nearMisses.filter((n) => n.reason === 'one-change').length);
  });

  it('failed alternatives of an `any` read as one: 满足其一：A 或 B, in both languages', () => {
    const out = matchProfile(ruleset, maker, { asOf: MID_2025 });
    const n = out.nearMisses.find((x) => x.measureId === 'finance-either')!;
    expect(n.reason).toBe('one-change');
    expect(n.anyOf).toEqual([
      {
        conditions: ['ip-loan', 'bonds'],
        zh: '满足其一：发展计划包括：知识产权质押融资 或 发展计划包括：发行绿色/科创债券',
        en: expect.stringMatching(/^One of: .+ or .+$/),
      },
    ]);
  });

  it('why-it-matched says so when the company meets two alternatives, any one enough', () => {
    const both = aProfile({ plans: ['ip-financing', 'issue-green-bonds'] });
    const m = matchProfile(ruleset, both, { asOf: MID_2025 }).matches.find((x) => x.measureId === 'finance-either')!;
    expect(m.anyOf?.[0].zh).toMatch(/^满足其一：.+ 或 .+$/);
    expect(m.anyOf?.[0].conditions).toEqual(['ip-loan', 'bonds']);
  });

  it('a measure in force that ends within 60 days says in how many days', () => {
    const soon = matchProfile(ruleset, aProfile({ plans: ['ip-financing'] }), { asOf: '2025-12-04' });
    expect(soon.matches.find((x) => x.measureId === 'finance-either')!.endsInDays).toBe(27);
    const far = matchProfile(ruleset, aProfile({ plans: ['ip-financing'] }), { asOf: MID_2025 });
    expect(far.matches.find((x) => x.measureId === 'finance-either')!.endsInDays).toBeUndefined();
  });
});
