import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import v1Schema from '../data/company-profile.v1.schema.json';
import { EXTENSION_CODES, EXTENSION_FIELD_KEYS, EXTENSION_FIELDS } from './profile-extensions';
import type { CompanyProfile } from './profile.types';
import { isValidUscc } from './uscc';

export interface FieldError {
  /** Where in the request: "profile.sectors[2]". */
  path: string;
  message: string;
}

const extensionList = (field: string, description: string) => {
  const codes = EXTENSION_CODES.filter((c) => c.field === field).map((c) => c.code);
  // A field no code uses yet accepts only the empty list (an empty enum is not a schema).
  return { type: 'array', uniqueItems: true, maxItems: codes.length ? 20 : 0, ...(codes.length ? { items: { enum: codes } } : {}), description };
};

/** Profile v1 exactly, plus the documented optional extension fields. */
export const PROFILE_SCHEMA = {
  ...v1Schema,
  $id: 'company-profile.v1+extensions',
  properties: {
    ...v1Schema.properties,
    ...Object.fromEntries(
      EXTENSION_FIELD_KEYS.map((k) => {
        const base = EXTENSION_FIELDS[k].extends;
        return [k, extensionList(k, `Extension: ${base} codes profile v1 lacks (evaluated as ${base}).`)];
      }),
    ),
  },
};

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile<CompanyProfile>(PROFILE_SCHEMA);

/** "/sectors/2" → "sectors[2]" */
export function toFieldPath(prefix: string, pointer: string): string {
  let out = prefix;
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
  }
  return out;
}

function describe(e: ErrorObject, prefix: string): FieldError {
  const at = toFieldPath(prefix, e.instancePath);
  switch (e.keyword) {
    case 'additionalProperties':
      return { path: toFieldPath(prefix, `${e.instancePath}/${String(e.params.additionalProperty)}`), message: 'is not a field of the company profile' };
    case 'required':
      return { path: toFieldPath(prefix, `${e.instancePath}/${String(e.params.missingProperty)}`), message: 'is required' };
    case 'enum':
      return { path: at, message: `must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}` };
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
  if (!validate(input)) {
    const seen = new Set<string>();
    const errors = (validate.errors ?? [])
      .map((e) => describe(e, prefix))
      .filter((e) => {
        const key = `${e.path}\u0000${e.message}`;
        return seen.has(key) ? false : (seen.add(key), true);
      });
    return { errors };
  }
  const errors: FieldError[] = [];
  if (input.uscc !== undefined && !isValidUscc(input.uscc))
    errors.push({ path: `${prefix}.uscc`, message: 'check character (18th) is wrong for this unified social credit code' });
  const { district, area } = input.location;
  if (area !== undefined && !area.startsWith(`${district}/`)) errors.push({ path: `${prefix}.location.area`, message: `must be an area of ${district}` });
  return errors.length ? { errors } : { profile: input, errors };
}
