import { registerDecorator } from 'class-validator';
import { DISTRICTS, type District, type FieldError } from '@matcher/catalog';
import { MAX_NEAR_MISS_LIMIT } from '@matcher/engine';
import { resolveCode } from '../screenings/import/profile-fields';
import type { BatchDetail } from '@matcher/contracts';
import { isCalendarDate } from './is-calendar-date';

/** The options of an evaluation, however they came: a JSON body, a query string or an upload's form fields. */
export interface EvaluationOptions {
  districts?: District[];
  asOf?: string;
  includeExpired?: boolean;
  nearMissLimit?: number;
  detail?: BatchDetail;
}

export type OptionName = keyof EvaluationOptions;

/**
 * Where options come from. `json`: typed values (a list, a boolean, a number); `query`: strings, districts
 * as a comma list of codes; `form`: strings a person typed, blank meaning absent, districts as a list of
 * codes or names split on any usual separator.
 */
export type OptionSource = 'json' | 'query' | 'form';

type Read<T> = { value: T } | { message: string };

const isDistrict = (d: string): d is District => (DISTRICTS as readonly string[]).includes(d);

function readDistricts(value: unknown, source: OptionSource): Read<District[]> {
  if (source === 'json') {
    if (!Array.isArray(value) || value.some((d) => typeof d !== 'string' || !isDistrict(d))) return { message: `must be a list of: ${DISTRICTS.join(', ')}` };
    if (new Set(value).size !== value.length) return { message: 'must not repeat a district' };
    return { value: value as District[] };
  }
  const codes =
    typeof value !== 'string'
      ? []
      : source === 'query'
        ? value.split(',').filter(Boolean)
        : value
            .split(/[,，、;；\s]+/)
            .filter(Boolean)
            .map((d) => resolveCode('location.district', d)?.code ?? '');
  if (!codes.length || !codes.every(isDistrict)) return { message: `must be a comma-separated list of: ${DISTRICTS.join(', ')}` };
  return { value: [...new Set(codes)] };
}

const READERS: { [K in OptionName]-?: (value: unknown, source: OptionSource) => Read<NonNullable<EvaluationOptions[K]>> } = {
  districts: readDistricts,
  asOf: (value, source) => {
    const text = source === 'form' && typeof value === 'string' ? value.trim() : value;
    return isCalendarDate(text) ? { value: text } : { message: 'must be a real date written YYYY-MM-DD' };
  },
  includeExpired: (value, source) => {
    if (source === 'json') return typeof value === 'boolean' ? { value } : { message: 'must be a boolean' };
    return value === 'true' || value === 'false' ? { value: value === 'true' } : { message: 'must be true or false' };
  },
  nearMissLimit: (value, source) => {
    const n = source === 'json' ? value : typeof value === 'string' && /^\d{1,3}$/.test(value) ? Number(value) : undefined;
    return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_NEAR_MISS_LIMIT
      ? { value: n }
      : { message: `must be an integer from 0 to ${MAX_NEAR_MISS_LIMIT}` };
  },
  detail: (value) => (value === 'compact' || value === 'full' ? { value } : { message: 'must be compact or full' }),
};

/** One option read from its source: its value, or why it is refused. */
export function readOption<K extends OptionName>(name: K, value: unknown, source: OptionSource): Read<NonNullable<EvaluationOptions[K]>> {
  return READERS[name](value, source) as Read<NonNullable<EvaluationOptions[K]>>;
}

/**
 * The named options of a request, each checked, every error reported (at the option's name). Absent (and,
 * in a form, blank) options stay undefined; a query string must hold nothing else.
 */
export function parseEvaluationOptions(
  input: Record<string, unknown>,
  source: OptionSource,
  names: readonly OptionName[],
): { options: EvaluationOptions; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (source === 'query')
    for (const key of Object.keys(input))
      if (!(names as readonly string[]).includes(key)) errors.push({ path: key, message: 'is not a known query parameter' });
  const options: Record<string, unknown> = {};
  for (const name of names) {
    const value = input[name];
    if (value === undefined || (source === 'form' && typeof value === 'string' && value.trim() === '')) continue;
    const read = readOption(name, value, source);
    if ('value' in read) options[name] = read.value;
    else errors.push({ path: name, message: read.message });
  }
  return { options: options, errors };
}

/** A JSON body's option checked by readOption, as a class-validator constraint (so DTOs and the parser agree). */
export function IsEvaluationOption(name: OptionName): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'evaluationOption',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: ({ value }) => {
          const read = readOption(name, value, 'json');
          return `$property ${'message' in read ? read.message : 'is invalid'}`;
        },
      },
      validator: { validate: (value: unknown) => 'value' in readOption(name, value, 'json') },
    });
}
