import { aProfile, aUscc, aUsccWithWrongCheck } from '../../../../test/factories/profile.factory';
import { EXTENSION_CODES, EXTENSION_FIELD_KEYS } from './profile-extensions';
import { toFieldPath, validateProfile } from './profile-validator';
import { isValidUscc, usccCheckCharacter } from './uscc';

describe('validateProfile', () => {
  it('accepts the smallest profile and a full one, extensions included', () => {
    expect(validateProfile(aProfile())).toEqual({ profile: aProfile(), errors: [] });
    const full = aProfile({
      name: '上海某某科技有限公司',
      uscc: aUscc(),
      location: { district: 'jingan', area: 'jingan/shibei' },
      sectors: ['ai/robotics', 'life-health'],
      headquarters: ['rd-center'],
      headquartersRecognition: 'district',
      qualifications: ['high-tech-enterprise'],
      roles: ['chain-leader'],
      ownership: 'private',
      size: 'medium',
      listing: 'pre-ipo',
      plans: ['ipo'],
      talent: ['returnee'],
      additionalSectors: ['digital/iot'],
      additionalRoles: ['elderly-care-institution'],
      metrics: { employees: 120, annualRevenueWan: 5000, annualTaxWan: 300, rdExpenseRatio: 0.08, foundedYear: 2015, inventionPatents: 12, pctApplications: 2 },
    });
    expect(validateProfile(full).errors).toEqual([]);
  });

  it('an unknown field: its path and "is not a field"', () => {
    expect(validateProfile({ ...aProfile(), revenue: 1 }).errors).toEqual([{ path: 'profile.revenue', message: 'is not a field of the company profile' }]);
    expect(validateProfile(aProfile({ metrics: { staff: 3 } as never })).errors).toEqual([
      { path: 'profile.metrics.staff', message: 'is not a field of the company profile' },
    ]);
  });

  it('an unknown code: "profile.sectors[2]" and the allowed codes', () => {
    const { errors } = validateProfile(aProfile({ sectors: ['ai', 'ic/design', 'space-mining'] }));
    expect(errors).toHaveLength(1);
    expect(errors[0].path).toBe('profile.sectors[2]');
    expect(errors[0].message).toMatch(/^must be one of: ai, ai\/models-algorithms, .*life-health\/innovative-drugs, .*fmcg$/);
    expect(validateProfile(aProfile({ ownership: 'state' })).errors).toEqual([
      { path: 'profile.ownership', message: 'must be one of: central-state, local-state, private, foreign, hk-macao-taiwan, mixed' },
    ]);
    expect(validateProfile(aProfile({ additionalRoles: ['chain-leader'] })).errors).toEqual([
      {
        path: 'profile.additionalRoles[0]',
        message: `must be one of: ${EXTENSION_CODES.filter((c) => c.field === 'additionalRoles')
          .map((c) => c.code)
          .join(', ')}`,
      },
    ]);
  });

  it('every extension field takes its own codes, and a field no code uses yet only an empty list', () => {
    for (const field of EXTENSION_FIELD_KEYS) {
      const codes = EXTENSION_CODES.filter((c) => c.field === field).map((c) => c.code);
      if (codes.length) expect(validateProfile(aProfile({ [field]: [codes[0]] })).errors).toEqual([]);
      else
        expect(validateProfile(aProfile({ [field]: ['anything'] })).errors).toEqual([{ path: `profile.${field}`, message: 'has no codes yet; leave it out' }]);
      expect(validateProfile(aProfile({ [field]: [] })).errors).toEqual([]);
    }
  });

  it('a missing district, repeated codes and out-of-range metrics', () => {
    expect(validateProfile({ location: {} }).errors).toEqual([{ path: 'profile.location.district', message: 'is required' }]);
    expect(validateProfile({}).errors).toEqual([{ path: 'profile.location', message: 'is required' }]);
    expect(validateProfile(aProfile({ roles: ['chain-leader', 'chain-leader'] })).errors).toEqual([
      { path: 'profile.roles', message: 'must not repeat a value (items 0 and 1 are equal)' },
    ]);
    expect(validateProfile(aProfile({ metrics: { rdExpenseRatio: 1.5 } })).errors).toEqual([
      { path: 'profile.metrics.rdExpenseRatio', message: 'must be <= 1' },
    ]);
  });

  it('USCC: the format, then the check character', () => {
    expect(validateProfile(aProfile({ uscc: aUscc('91310000MA1FL0000') })).errors).toEqual([]);
    expect(validateProfile(aProfile({ uscc: aUsccWithWrongCheck() })).errors).toEqual([
      { path: 'profile.uscc', message: 'check character (18th) is wrong for this unified social credit code' },
    ]);
    expect(validateProfile(aProfile({ uscc: '9131010612345' })).errors).toEqual([
      { path: 'profile.uscc', message: 'must be an 18-character unified social credit code (GB 32100-2015)' },
    ]);
    expect(validateProfile(aProfile({ uscc: 'I1310106MA1FL12345' })).errors[0].path).toBe('profile.uscc');
  });

  it('an area of another district', () => {
    expect(validateProfile(aProfile({ location: { district: 'jingan', area: 'xuhui/west-bund' } })).errors).toEqual([
      { path: 'profile.location.area', message: 'must be an area of jingan' },
    ]);
    expect(validateProfile(aProfile({ location: { district: 'other-shanghai', area: 'jingan/pengpu' } })).errors).toEqual([
      { path: 'profile.location.area', message: 'must be an area of other-shanghai' },
    ]);
  });

  it('uses the prefix it is given', () => {
    expect(validateProfile({ location: { district: 'mars' } }, 'body.profiles[3]').errors[0].path).toBe('body.profiles[3].location.district');
    expect(toFieldPath('', '/sectors/2')).toBe('sectors[2]');
    expect(toFieldPath('p', '/a~1b')).toBe('p.a/b');
  });
});

describe('USCC check character (GB 32100-2015)', () => {
  it('agrees with a published example', () => {
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
  });

  it('maps a remainder of 0 to "0" and rejects characters outside the charset', () => {
    // Any 17 characters whose weighted sum is divisible by 31 end in "0".
    expect(usccCheckCharacter('00000000000000000')).toBe('0');
    expect(usccCheckCharacter('I0000000000000000')).toBeNull();
    expect(isValidUscc('91350100M000100Y4')).toBe(false);
  });

  it('every generated code validates, and changing its check character breaks it', () => {
    for (const first17 of ['91310106MA1FL1234', '12310000425006117', '5131000050000000X', '91310115MA1H7YWQ0']) {
      expect(isValidUscc(aUscc(first17))).toBe(true);
      expect(isValidUscc(aUsccWithWrongCheck(first17))).toBe(false);
    }
  });
});
