import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import v1Schema from '../data/company-profile.v1.schema.json';
import { EXTENSION_CODES, EXTENSION_FIELD_KEYS, EXTENSION_FIELDS } from './profile-extensions';
import type { CompanyProfile, FieldError } from './profile.types';
import { isValidUscc } from './uscc';

const extensionList = (field: string, description: string) => {
  const codes = EXTENSION_CODES.filter((c) => c.field === field).map((c) => c.code);
  // A field no code uses yet accepts only the empty list (an empty enum is not a schema).
  return { type: 'array', uniqueItems: true, maxItems: codes.length ? 20 : 0, ...(codes.length ? { items: { enum: codes } } : {}), description };
};

type ListSchema = { type: 'array'; maxItems?: number; items: { enum?: unknown[] } };

/**
 * A code list can hold each allowed code once, so its length is bounded by the number of codes even where
 * profile v1 states no maxItems; the API enforces that bound (README, Operations › Limits).
 */
function bounded<T extends Record<string, unknown>>(properties: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties)) {
    const list = value as ListSchema;
    out[key] = list.type === 'array' && list.maxItems === undefined && Array.isArray(list.items?.enum) ? { ...list, maxItems: list.items.enum.length } : value;
  }
  return out as T;
}

/** Profile v1 exactly, plus the documented optional extension fields; every list has a maximum length. */
export const PROFILE_SCHEMA = {
  ...v1Schema,
  $id: 'company-profile.v1+extensions',
  properties: bounded({
    ...v1Schema.properties,
    ...Object.fromEntries(
      EXTENSION_FIELD_KEYS.map((k) => {
        const base = EXTENSION_FIELDS[k].extends;
        return [k, extensionList(k, `Extension: ${base} codes profile v1 lacks (evaluated as ${base}).`)];
      }),
    ),
  }),
};

/** The longest list each profile field accepts (documented in the README). */
export const PROFILE_LIST_LIMITS: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(PROFILE_SCHEMA.properties)
    .filter(([, v]) => (v as ListSchema).type === 'array')
    .map(([k, v]) => [k, (v as ListSchema).maxItems as number]),
);

/** At most this many field errors are reported for one profile; the rest are counted. */
export const MAX_PROFILE_ERRORS = 20;

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile<CompanyProfile>(PROFILE_SCHEMA);

/** The path of a field inside `prefix`, as every error of the API names it: "profile" + "sectors" → "profile.sectors", + "2" → "profile.sectors[2]". */
export function fieldPath(prefix: string, key: string): string {
  return /^\d+$/.test(key) ? `${prefix}[${key}]` : prefix ? `${prefix}.${key}` : key;
}

/** "/sectors/2" → "sectors[2]" */
export function toFieldPath(prefix: string, pointer: string): string {
  let out = prefix;
  for (const raw of pointer.split('/').slice(1)) out = fieldPath(out, raw.replace(/~1/g, '/').replace(/~0/g, '~'));
  return out;
}

/** The list a code belongs to ("profile.sectors" for "profile.sectors[3]"), so its allowed codes are named once. */
const listOf = (path: string): string => path.replace(/\[\d+\]$/, '');

function describe(e: ErrorObject, prefix: string, listed: Set<string>): FieldError {
  const at = toFieldPath(prefix, e.instancePath);
  switch (e.keyword) {
    case 'additionalProperties':
      return { path: toFieldPath(prefix, `${e.instancePath}/${String(e.params.additionalProperty)}`), message: 'is not a field of the company profile' };
    case 'required':
      return { path: toFieldPath(prefix, `${e.instancePath}/${String(e.params.missingProperty)}`), message: 'is required' };
    case 'enum': {
      // The allowed codes (up to ~200 sectors) are named once per list, never repeated for each bad item.
      const list = listOf(at);
      if (listed.has(list)) return { path: at, message: `is not an allowed code (the allowed codes are listed at the first bad item of ${list})` };
      listed.add(list);
      return { path: at, message: `must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}` };
    }
    case 'pattern':
      return {
        path: at,
        message: at.endsWith('uscc') ? 'must be an 18-character unified social credit code (GB 32100-2015)' : `must match ${String(e.params.pattern)}`,
      };
    case 'maxItems':
      return { path: at, message: e.params.limit === 0 ? 'has no codes yet; leave it out' : `must have at most ${String(e.params.limit)} items` };
    case 'uniqueItems':
      return { path: at, message: `must not repeat a value (items ${String(e.params.j)} and ${String(e.params.i)} are equal)` };
    default:
      return { path: at, message: e.message ?? 'is invalid' };
  }
}

/**
 * Validates a profile against profile v1 (+ extensions) and the rules the schema states in words:
 * the USCC check character, and an area inside the company's own district.
 */
export function validateProfile(input: unknown, prefix = 'profile'): { profile?: CompanyProfile; errors: FieldError[] } {
  // Over-long lists are refused before the schema walks their items: 50,000 bad codes would otherwise cost
  // 50,000 errors and a quadratic uniqueness check.
  const tooLong = overlongLists(input, prefix);
  if (tooLong.length) return { errors: tooLong };
  if (!validate(input)) {
    const seen = new Set<string>();
    const listed = new Set<string>();
    const all = validate.errors ?? [];
    const errors: FieldError[] = [];
    for (const raw of all) {
      const e = describe(raw, prefix, listed);
      const key = `${e.path}\u0000${e.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (errors.length === MAX_PROFILE_ERRORS) {
        errors.push({ path: prefix, message: `has more errors than the ${MAX_PROFILE_ERRORS} reported here` });
        break;
      }
      errors.push(e);
    }
    return { errors };
  }
  const errors: FieldError[] = [];
  if (input.uscc !== undefined && !isValidUscc(input.uscc))
    errors.push({ path: fieldPath(prefix, 'uscc'), message: 'check character (18th) is wrong for this unified social credit code' });
  const { district, area } = input.location;
  if (area !== undefined && !area.startsWith(`${district}/`))
    errors.push({ path: toFieldPath(prefix, '/location/area'), message: `must be an area of ${district}` });
  return errors.length ? { errors } : { profile: input, errors };
}

/** The lists of a profile longer than their bound (cheap: lengths only, no item is looked at). */
export function overlongLists(input: unknown, prefix = 'profile'): FieldError[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return [];
  const errors: FieldError[] = [];
  for (const [field, max] of Object.entries(PROFILE_LIST_LIMITS)) {
    const value = (input as Record<string, unknown>)[field];
    if (Array.isArray(value) && value.length > max)
      errors.push({ path: fieldPath(prefix, field), message: max === 0 ? 'has no codes yet; leave it out' : `must hold at most ${max} codes` });
  }
  return errors;
}
