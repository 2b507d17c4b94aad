import type { CompanyProfile } from '@matcher/catalog';

/**
 * Profile fields that say who the company is and decide no measure. A public match answers without them,
 * so they are dropped before the request is evaluated, recorded or logged (the minimum-necessary principle).
 */
export const IDENTITY_FIELDS = ['name', 'uscc'] as const;

/** The profile's matching facts only: a copy without the identity fields. */
export function withoutIdentity(profile: CompanyProfile): CompanyProfile {
  const facts: CompanyProfile = { ...profile };
  for (const field of IDENTITY_FIELDS) delete facts[field];
  return facts;
}
