import { validateProfile, type CompanyProfile } from '@matcher/catalog';
import { invalidRequest } from '../common/problem';

/** Profile v1 (+ extensions) checked against its JSON Schema; errors carry "profile.…" paths. */
export function parseProfile(input: unknown, prefix = 'profile'): CompanyProfile {
  const { profile, errors } = validateProfile(input, prefix);
  if (!profile) throw invalidRequest(errors, 'The company profile is not valid; see errors for each field.');
  return profile;
}
