import { factsOf } from '../profile/profile-extensions';
import { allowedCodes, codeLabel, fieldLabel, labelOf, PROFILE_FIELDS, profileField, ruleCodes, sectorWithin } from './taxonomy';
import v1Schema from '../data/company-profile.v1.schema.json';

describe('taxonomy', () => {
  it('holds exactly the codes of profile v1 for every coded field', () => {
    expect(allowedCodes('sectors')).toEqual(v1Schema.$defs.sector.enum);
    expect(allowedCodes('roles')).toEqual(v1Schema.properties.roles.items.enum);
    expect(allowedCodes('location.area')).toEqual(v1Schema.properties.location.properties.area.enum);
    expect(allowedCodes('size')).toEqual(v1Schema.properties.size.enum);
  });

  it('ruleCodes adds the documented extension codes to the field they extend', () => {
    expect(ruleCodes('sectors')).toEqual(expect.arrayContaining(['ai', 'digital/iot', 'digital/5g', 'future-industries/brain-inspired-intelligence']));
    expect(ruleCodes('roles')).toContain('elderly-care-institution');
    expect(allowedCodes('roles')).not.toContain('elderly-care-institution');
    expect(ruleCodes('plans')).toEqual([...allowedCodes('plans'), 'seek-advanced-tech-service', 'seek-high-tech-enterprise', 'rd-expense-deduction']);
  });

  it('labels in zh and en; sectors show their parent', () => {
    expect(labelOf('sectors', 'ai/robotics', 'zh')).toBe('人工智能/智能机器人');
    expect(labelOf('sectors', 'ai', 'en')).toBe('Artificial intelligence');
    expect(labelOf('roles', 'elderly-care-institution', 'en')).toBe('Elderly-care institution');
    expect(labelOf('roles', 'unknown-code', 'zh')).toBe('unknown-code');
    expect(fieldLabel('metrics.employees', 'zh')).toBe('员工人数');
    expect(fieldLabel('nope', 'en')).toBe('nope');
    expect(codeLabel('sectors', 'digital/iot')).toMatchObject({ parent: 'digital', extension: true });
    expect(profileField('metrics.rdExpenseRatio')).toMatchObject({ kind: 'number' });
  });

  it('sectorWithin: a code is within itself and its ancestors, not its children or lookalikes', () => {
    expect(sectorWithin('life-health/ivd', 'life-health')).toBe(true);
    expect(sectorWithin('life-health', 'life-health')).toBe(true);
    expect(sectorWithin('life-health', 'life-health/ivd')).toBe(false);
    expect(sectorWithin('ai-x', 'ai')).toBe(false);
  });
});

describe('factsOf', () => {
  it('merges extension fields into the fields they extend', () => {
    expect(
      factsOf({ location: { district: 'jingan' }, sectors: ['ai'], additionalSectors: ['digital/iot'], additionalRoles: ['elderly-care-institution'] }),
    ).toMatchObject({
      sectors: ['ai', 'digital/iot'],
      roles: ['elderly-care-institution'],
    });
  });

  it('merges talent and qualification extensions too, keeping the v1 codes first', () => {
    const facts = factsOf({
      location: { district: 'qingpu' },
      talent: ['top-scientist'],
      additionalTalent: ['entrepreneur'],
      additionalQualifications: ['national-platform'],
    });
    expect(facts.talent).toEqual(['top-scientist', 'entrepreneur']);
    expect(facts.qualifications).toEqual(['national-platform']);
  });

  it('merges plan extensions: a firm seeking a recognition is told apart from one that holds it', () => {
    const facts = factsOf({ location: { district: 'jingan' }, plans: ['ipo'], additionalPlans: ['seek-advanced-tech-service'] });
    expect(facts.plans).toEqual(['ipo', 'seek-advanced-tech-service']);
    expect(facts.qualifications).toBeUndefined();
  });

  it('lists every extension field in the taxonomy under the section of the field it extends', () => {
    const ext = PROFILE_FIELDS.filter((f) => f.key.startsWith('additional')).map((f) => [f.key, f.section]);
    expect(ext).toEqual([
      ['additionalSectors', 'sectors'],
      ['additionalRoles', 'roles'],
      ['additionalTalent', 'talent'],
      ['additionalQualifications', 'qualifications'],
      ['additionalPlans', 'plans'],
    ]);
  });

  it('returns the profile itself when there is nothing to merge', () => {
    const p = { location: { district: 'jingan' }, sectors: ['ai'], additionalSectors: [] };
    expect(factsOf(p)).toBe(p);
  });
});
