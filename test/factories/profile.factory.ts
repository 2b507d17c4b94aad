import { usccCheckCharacter, type CompanyProfile } from '@matcher/catalog';

type ProfileOverrides = Omit<Partial<CompanyProfile>, 'location'> & { location?: Partial<CompanyProfile['location']> };

/** A company profile: registered in Jing'an with nothing else known, unless overridden. */
export function aProfile(overrides: ProfileOverrides = {}): CompanyProfile {
  const { location, ...rest } = overrides;
  return { location: { district: 'jingan', ...location }, ...rest };
}

/**
 * A testing and certification lab in Jing'an that plans to adopt international standards: the profile the e2e tests
 * use for a measure with many departments (jingan-2024-professional-services-quality).
 */
export function aTestingLab(): CompanyProfile {
  return aProfile({
    sectors: ['professional-services/testing-certification'],
    roles: ['professional-service-institution'],
    plans: ['international-standards'],
  });
}

/** A unified social credit code with a correct check character (GB 32100-2015). */
export function aUscc(first17 = '91310106MA1FL1234'): string {
  const check = usccCheckCharacter(first17);
  if (check === null) throw new Error(`${first17} has a character outside the USCC charset`);
  return `${first17}${check}`;
}

/** The same code with a wrong check character. */
export function aUsccWithWrongCheck(first17 = '91310106MA1FL1234'): string {
  const good = aUscc(first17);
  return `${first17}${good.endsWith('0') ? '1' : '0'}`;
}
