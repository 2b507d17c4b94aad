import { precisionFields, type Measure } from '@matcher/catalog';
import type {
  FailedCondition,
  HeldCondition,
  MeasureResult,
  MissingFact,
  NearMiss,
  PrecisionFields,
  ResultDepartment,
  PriorityResult,
  Scenario,
} from './types';
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
 * Every field a result takes from a measure, as of a date and in a scenario: the one projection of a
 * measure into results (measureFields). Each result shape (match, near miss, priority, and the compact
 * batch and screening forms) picks its fields from it, in that shape's documented order.
 */
export type MeasureFields = Omit<MeasureResult, 'explanation' | 'factsUsed' | keyof PrecisionFields> & {
  section: string;
  quote: string;
  documentId: string;
};

/** The fields that hold whatever the date and scenario: built once per measure, frozen, shared by all its results. */
type FixedFields = Readonly<Omit<MeasureFields, 'status' | 'scenario'>>;
const fixedFields = new WeakMap<Measure, FixedFields>();

function fixedFieldsOf(m: Measure): FixedFields {
  let f = fixedFields.get(m);
  if (!f) {
    const { documentId, documentTitle, issuer, issuedOn, section, quote } = m.source;
    f = Object.freeze({
      measureId: m.id,
      district: m.district,
      title: m.title,
      titleEn: m.titleEn,
      departments: Object.freeze(m.departments.map(({ name, nameEn, source }) => Object.freeze({ name, nameEn, source }))) as ResultDepartment[],
      source: Object.freeze({ documentId, documentTitle, issuer, issuedOn, section, quote }),
      supportType: m.supportType,
      kind: m.kind,
      section,
      quote,
      documentId,
      validFrom: m.validity.validFrom,
      validTo: m.validity.validTo,
      specificity: m.specificity,
    });
    fixedFields.set(m, f);
  }
  return f;
}

/**
 * A measure's fields as results give them. The shapes pick from these (its fixed part and the status and
 * scenario) with object literals rather than from a list of keys: a literal keeps one hidden class per
 * shape, where adding keys in a loop is ten times slower on the explained path.
 */
export function measureFields(m: Measure, status: MeasureStatus, scenario: Scenario): MeasureFields {
  return { ...fixedFieldsOf(m), status, scenario };
}

/** A match result v1 (+ specificity, explanation, factsUsed), fields in their documented order. */
export function measureResult(m: Measure, status: MeasureStatus, scenario: Scenario, explanation: HeldCondition[]): MeasureResult {
  const f = fixedFieldsOf(m);
  return {
    measureId: f.measureId,
    district: f.district,
    title: f.title,
    titleEn: f.titleEn,
    departments: f.departments,
    source: f.source,
    supportType: f.supportType,
    kind: f.kind,
    status,
    validFrom: f.validFrom,
    validTo: f.validTo,
    scenario,
    specificity: f.specificity,
    explanation,
    factsUsed: factsUsed(explanation),
    ...precisionFields(m),
  };
}

/** A district priority that names the company: where it is written, and what of the profile it names. */
export function priorityResult(m: Measure, status: MeasureStatus, scenario: Scenario, held: HeldCondition[]): PriorityResult {
  const f = fixedFieldsOf(m);
  return {
    measureId: f.measureId,
    district: f.district,
    title: f.title,
    titleEn: f.titleEn,
    section: f.section,
    quote: f.quote,
    documentId: f.documentId,
    status,
    validFrom: f.validFrom,
    validTo: f.validTo,
    scenario,
    names: held.filter((h) => h.fact !== 'location.district'),
  };
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
  const f = fixedFieldsOf(m);
  return {
    measureId: f.measureId,
    district: f.district,
    title: f.title,
    titleEn: f.titleEn,
    kind: f.kind,
    status,
    validTo: f.validTo,
    scenario,
    specificity: f.specificity,
    factsUsed: used,
    reason,
    missing,
    failed,
    ...precisionFields(m),
  };
}

/**
 * Sorts in place by the results' keys (unique per measure; the keys are reordered with them). An answer sorts a few dozen results at a time: an
 * insertion sort on the keys, moving the results with them, allocates nothing; longer lists take one Float64Array
 * sort with the result's position in the low digits.
 */
export function sortResults<T>(results: T[], sortKeys: number[]): T[] {
  const n = results.length;
  if (n < 2) return results;
  if (n <= 64) {
    for (let i = 1; i < n; i++) {
      const key = sortKeys[i];
      const item = results[i];
      let j = i - 1;
      for (; j >= 0 && sortKeys[j] > key; j--) {
        sortKeys[j + 1] = sortKeys[j];
        results[j + 1] = results[j];
      }
      sortKeys[j + 1] = key;
      results[j + 1] = item;
    }
    return results;
  }
  let slots = 1;
  while (slots < n) slots *= 2;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = sortKeys[i] * slots + i;
  keys.sort();
  const sorted = results.slice();
  for (let i = 0; i < n; i++) results[i] = sorted[keys[i] % slots];
  return results;
}
