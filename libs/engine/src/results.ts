import { precisionFields, type District, type Measure, type SupportType } from '@matcher/catalog';
import type { FailedCondition, HeldCondition, MeasureResult, MissingFact, NearMiss, ResultDepartment, ResultSource, PriorityResult, Scenario } from './types';
import type { MeasureStatus } from './validity';

/** How many of the profile's facts (besides the district) the held conditions used. */
export function factsUsed(held: HeldCondition[]): number {
  let n = 0;
  for (let i = 0; i < held.length; i++) {
    const f = held[i].fact;
    if (f === 'location.district') continue;
    let seen = false;
    for (let j = 0; j < i && !seen; j++) seen = held[j].fact === f;
    if (!seen) n += 1;
  }
  return n;
}

/**
 * Every field a result takes from a measure, as of a date and in a scenario. Each result shape (match,
 * near miss, priority, and the compact batch and screening forms) is an ordered pick of these, made by
 * projectMeasure: the documented key order of each shape is its field list.
 */
export interface MeasureFields {
  measureId: string;
  district: District;
  title: string;
  titleEn: string;
  departments: ResultDepartment[];
  source: ResultSource;
  supportType: SupportType[];
  kind: Measure['kind'];
  section: string;
  quote: string;
  documentId: string;
  status: MeasureStatus;
  validFrom: string | null;
  validTo: string | null;
  scenario: Scenario;
  specificity: Measure['specificity'];
}

const FIELDS: { [K in keyof MeasureFields]: (m: Measure, status: MeasureStatus, scenario: Scenario) => MeasureFields[K] } = {
  measureId: (m) => m.id,
  district: (m) => m.district,
  title: (m) => m.title,
  titleEn: (m) => m.titleEn,
  departments: (m) => departmentsOf(m),
  source: (m) => sourceOf(m),
  supportType: (m) => m.supportType,
  kind: (m) => m.kind,
  section: (m) => m.source.section,
  quote: (m) => m.source.quote,
  documentId: (m) => m.source.documentId,
  status: (_m, status) => status,
  validFrom: (m) => m.validity.validFrom,
  validTo: (m) => m.validity.validTo,
  scenario: (_m, _status, scenario) => scenario,
  specificity: (m) => m.specificity,
};

/** The one projection of a measure into a result: the fields named, in the order named. */
export function projectMeasure<K extends keyof MeasureFields>(
  m: Measure,
  status: MeasureStatus,
  scenario: Scenario,
  fields: readonly K[],
): Pick<MeasureFields, K> {
  const out = {} as Record<string, unknown>;
  for (const k of fields) out[k] = FIELDS[k](m, status, scenario);
  return out as Pick<MeasureFields, K>;
}

/** Match result v1's fields of the measure (before explanation, factsUsed and the precision note). */
export const MATCH_FIELDS = [
  'measureId',
  'district',
  'title',
  'titleEn',
  'departments',
  'source',
  'supportType',
  'kind',
  'status',
  'validFrom',
  'validTo',
  'scenario',
  'specificity',
] as const;
export const NEAR_MISS_FIELDS = ['measureId', 'district', 'title', 'titleEn', 'kind', 'status', 'validTo', 'scenario', 'specificity'] as const;
export const PRIORITY_FIELDS = [
  'measureId',
  'district',
  'title',
  'titleEn',
  'section',
  'quote',
  'documentId',
  'status',
  'validFrom',
  'validTo',
  'scenario',
] as const;

/** A match result v1 (+ specificity, explanation, factsUsed), fields in their documented order. */
export function measureResult(m: Measure, status: MeasureStatus, scenario: Scenario, explanation: HeldCondition[]): MeasureResult {
  return Object.assign(projectMeasure(m, status, scenario, MATCH_FIELDS), { explanation, factsUsed: factsUsed(explanation) }, precisionFields(m));
}

/** A district priority that names the company: where it is written, and what of the profile it names. */
export function priorityResult(m: Measure, status: MeasureStatus, scenario: Scenario, held: HeldCondition[]): PriorityResult {
  return Object.assign(projectMeasure(m, status, scenario, PRIORITY_FIELDS), { names: held.filter((h) => h.fact !== 'location.district') });
}

/** Built once per measure and shared, frozen, by every result of it: the v1 departments and source. */
const departments = new WeakMap<Measure, readonly ResultDepartment[]>();
const sources = new WeakMap<Measure, ResultSource>();

function departmentsOf(m: Measure): ResultDepartment[] {
  let list = departments.get(m);
  if (!list) departments.set(m, (list = Object.freeze(m.departments.map(({ name, nameEn, source }) => Object.freeze({ name, nameEn, source })))));
  return list as ResultDepartment[];
}

function sourceOf(m: Measure): ResultSource {
  let source = sources.get(m);
  if (!source) {
    const { documentId, documentTitle, issuer, issuedOn, section, quote } = m.source;
    sources.set(m, (source = Object.freeze({ documentId, documentTitle, issuer, issuedOn, section, quote })));
  }
  return source;
}

export function nearMiss(
  m: Measure,
  status: MeasureStatus,
  scenario: Scenario,
  used: number,
  reason: NearMiss['reason'],
  missing: MissingFact[],
  failed: FailedCondition[],
): NearMiss {
  return Object.assign(projectMeasure(m, status, scenario, NEAR_MISS_FIELDS), { factsUsed: used, reason, missing, failed }, precisionFields(m));
}

/**
 * Sorts in place by the results' keys (unique per measure): one Float64Array sort, the result's position
 * in the low digits.
 */
export function sortResults<T>(results: T[], sortKeys: number[]): T[] {
  const n = results.length;
  if (n < 2) return results;
  let slots = 1;
  while (slots < n) slots *= 2;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = sortKeys[i] * slots + i;
  keys.sort();
  const sorted = results.slice();
  for (let i = 0; i < n; i++) results[i] = sorted[keys[i] % slots];
  return results;
}
