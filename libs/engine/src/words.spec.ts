import { leaf } from '../../../test/factories/rule.factory';
import { conditionWords, heldWords, satisfyingValues, wantedCodes } from './words';

describe('conditionWords', () => {
  it('says a sector condition in zh and en, with the hierarchy in the label', () => {
    expect(conditionWords(leaf.sectors(['life-health/innovative-drugs']), 'sectors', false)).toEqual({
      zh: '行业属于：生命健康/生物医药/创新药',
      en: expect.stringMatching(/^Sector within: .+\/Innovative drugs$/),
    });
    expect(conditionWords(leaf.sectors(['ai', 'ic']), 'sectors', false).en).toBe('Sector within any of: Artificial intelligence, Integrated circuits');
  });

  it('says list, scalar and location conditions', () => {
    expect(conditionWords(leaf.hasAny('roles', ['chain-leader', 'industry-leader']), 'roles', false)).toEqual({
      zh: '主体类型包括其一：链主企业、行业龙头',
      en: 'Role includes any of: Chain leader, Industry leader',
    });
    expect(conditionWords(leaf.oneOf('ownership', ['foreign']), 'ownership', false)).toEqual({ zh: '所有制为：外资', en: 'Ownership is: Foreign-invested' });
    expect(conditionWords(leaf.location('xuhui'), 'location.district', false)).toEqual({
      zh: '注册所在区为：徐汇区',
      en: 'District of registration is: Xuhui',
    });
    expect(conditionWords(leaf.area(['jingan/suhe-bay']), 'location.area', false).zh).toBe('功能区为：苏河湾滨水商务集聚带');
  });

  it('says thresholds with units, and negations', () => {
    expect(conditionWords(leaf.metric('employees', 'greaterThanInclusive', 100), 'metrics.employees', false)).toEqual({
      zh: '员工人数 ≥ 100人',
      en: 'Employees ≥ 100 people',
    });
    const negated = conditionWords(leaf.oneOf('ownership', ['foreign']), 'ownership', true);
    expect(negated).toEqual({ zh: '不满足（所有制为：外资）', en: 'not (Ownership is: Foreign-invested)' });
  });

  it('labels extension codes like v1 codes, and falls back to the code when unknown', () => {
    expect(conditionWords(leaf.hasAny('roles', ['elderly-care-institution']), 'roles', false)).toEqual({
      zh: '主体类型包括：养老机构',
      en: 'Role includes: Elderly-care institution',
    });
    expect(conditionWords(leaf.hasAny('roles', ['no-such-code']), 'roles', false).en).toBe('Role includes: no-such-code');
  });
});

describe('satisfyingValues and heldWords', () => {
  it('keeps only the profile values that satisfied the condition', () => {
    expect(satisfyingValues(leaf.sectors(['life-health']), ['finance', 'life-health/ivd'])).toEqual(['life-health/ivd']);
    expect(satisfyingValues(leaf.hasAny('roles', ['chain-leader']), ['chain-leader', 'industry-association'])).toEqual(['chain-leader']);
    expect(satisfyingValues(leaf.oneOf('size', ['small', 'micro']), 'small')).toEqual(['small']);
  });

  it('gives the same values with the codes in a Set as without (an empty code cannot use the Set)', () => {
    const sectors = leaf.sectors(['life-health', 'ai/robotics']);
    const profile = ['life-health/innovative-drugs/x', 'life-healthcare', 'ai', 'ai/robotics', 'ai/robotics/arms', 'finance'];
    expect(satisfyingValues(sectors, profile, wantedCodes(sectors))).toEqual(['life-health/innovative-drugs/x', 'ai/robotics', 'ai/robotics/arms']);
    expect(satisfyingValues(sectors, profile, null)).toEqual(satisfyingValues(sectors, profile, wantedCodes(sectors)));
    const empty = leaf.sectors(['']);
    expect(wantedCodes(empty)).toBeNull();
    expect(satisfyingValues(empty, ['', '/x', 'ai'])).toEqual(['', '/x']);
  });

  it('says what held, with numbers, units and the relocation scenario', () => {
    expect(heldWords(leaf.metric('employees', 'greaterThanInclusive', 100), 'metrics.employees', [150], false)).toEqual({
      zh: '员工人数：150人（≥ 100）',
      en: 'Employees: 150 people (≥ 100)',
    });
    expect(heldWords(leaf.hasAny('roles', ['chain-leader']), 'roles', ['chain-leader'], false)).toEqual({ zh: '主体类型：链主企业', en: 'Role: Chain leader' });
    expect(heldWords(leaf.location('jingan'), 'location.district', ['jingan'], true)).toEqual({
      zh: '注册所在区：静安区（迁入情景）',
      en: "District of registration: Jing'an (relocation scenario)",
    });
  });
});
