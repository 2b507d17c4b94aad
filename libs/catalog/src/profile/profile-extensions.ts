import extensions from '../data/profile-extensions.json';
import type { CompanyProfile } from './profile.types';

export interface ExtensionCode {
  field: 'additionalSectors' | 'additionalRoles';
  extends: 'sectors' | 'roles';
  code: string;
  zh: string;
  en: string;
  parent?: string;
  why: string;
  documentId: string;
}

/** Codes some measures need that profile v1 lacks; each lives in an optional field of its own. */
export const EXTENSION_CODES = extensions.codes as ExtensionCode[];

export const EXTENSION_FIELDS = {
  additionalSectors: { extends: 'sectors', zh: '其他行业（扩展）', en: 'Additional sectors (extension)' },
  additionalRoles: { extends: 'roles', zh: '其他主体类型（扩展）', en: 'Additional roles (extension)' },
} as const;

/**
 * The facts rules are evaluated on: extension fields merged into the v1 field they extend,
 * so a rule names `sectors` whether a company gave `digital/iot` or `digital/software`.
 */
export function factsOf(profile: CompanyProfile): CompanyProfile {
  const { additionalSectors, additionalRoles } = profile;
  if (!additionalSectors?.length && !additionalRoles?.length) return profile;
  return {
    ...profile,
    sectors: [...(profile.sectors ?? []), ...(additionalSectors ?? [])],
    roles: [...(profile.roles ?? []), ...(additionalRoles ?? [])],
  };
}
