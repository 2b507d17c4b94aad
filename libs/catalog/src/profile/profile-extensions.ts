import extensions from '../data/profile-extensions.json';
import type { CompanyProfile } from './profile.types';

/** The optional profile fields of the extension, each evaluated as the v1 field it extends. */
export const EXTENSION_FIELDS = {
  additionalSectors: { extends: 'sectors', zh: '其他行业（扩展）', en: 'Additional sectors (extension)' },
  additionalRoles: { extends: 'roles', zh: '其他主体类型（扩展）', en: 'Additional roles (extension)' },
  additionalTalent: { extends: 'talent', zh: '其他人才类型（扩展）', en: 'Additional talent (extension)' },
  additionalQualifications: { extends: 'qualifications', zh: '其他资质（扩展）', en: 'Additional qualifications (extension)' },
  additionalPlans: { extends: 'plans', zh: '其他计划（扩展）', en: 'Additional plans (extension)' },
} as const;

export type ExtensionField = keyof typeof EXTENSION_FIELDS;
export type ExtendedField = (typeof EXTENSION_FIELDS)[ExtensionField]['extends'];
export const EXTENSION_FIELD_KEYS = Object.keys(EXTENSION_FIELDS) as ExtensionField[];

export interface ExtensionCode {
  field: ExtensionField;
  extends: ExtendedField;
  code: string;
  zh: string;
  en: string;
  parent?: string;
  why: string;
  documentId: string;
}

/** Codes some measures need that profile v1 lacks; each lives in an optional field of its own. */
export const EXTENSION_CODES = extensions.codes as ExtensionCode[];

/**
 * The facts rules are evaluated on: extension fields merged into the v1 field they extend,
 * so a rule names `sectors` whether a company gave `digital/iot` or `digital/software`.
 */
export function factsOf(profile: CompanyProfile): CompanyProfile {
  if (!EXTENSION_FIELD_KEYS.some((k) => profile[k]?.length)) return profile;
  const facts: CompanyProfile = { ...profile };
  for (const k of EXTENSION_FIELD_KEYS) {
    const extra = profile[k];
    if (!extra?.length) continue;
    const base = EXTENSION_FIELDS[k].extends;
    facts[base] = [...(profile[base] ?? []), ...extra];
  }
  return facts;
}
