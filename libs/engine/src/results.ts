import type { Measure } from '@matcher/catalog';
import type {
  FailedCondition,
  HeldCondition,
  MeasureResult,
  MissingFact,
  NearMiss,
  ResultDepartment,
  ResultSource,
  PrecisionFields,
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

/** A broad measure's note, so the answer can say "check this condition yourself"; nothing for the others. */
function precisionOf(m: Measure): PrecisionFields {
  return m.precision ? { precision: m.precision, precisionNote: m.precisionNote, precisionNoteEn: m.precisionNoteEn } : {};
}

/** A match result v1 (+ specificity, explanation, factsUsed), fields in their documented order. */
export function measureResult(m: Measure, status: MeasureStatus, scenario: Scenario, explanation: HeldCondition[]): MeasureResult {
  return {
    measureId: m.id,
    district: m.district,
    title: m.title,
    titleEn: m.titleEn,
    departments: departmentsOf(m),
    source: sourceOf(m),
    supportType: m.supportType,
    kind: m.kind,
    status,
    validFrom: m.validity.validFrom,
    validTo: m.validity.validTo,
    scenario,
    specificity: m.specificity,
    explanation,
    factsUsed: factsUsed(explanation),
    ...precisionOf(m),
  };
}

/** A district priority that names the company: where it is written, and what of the profile it names. */
export function priorityResult(m: Measure, status: MeasureStatus, scenario: Scenario, held: HeldCondition[]): PriorityResult {
  return {
    measureId: m.id,
    district: m.district,
    title: m.title,
    titleEn: m.titleEn,
    section: m.source.section,
    quote: m.source.quote,
    documentId: m.source.documentId,
    status,
    validFrom: m.validity.validFrom,
    validTo: m.validity.validTo,
    scenario,
    names: held.filter((h) => h.fact !== 'location.district'),
  };
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
  return {
    measureId: m.id,
    district: m.district,
    title: m.title,
    titleEn: m.titleEn,
    kind: m.kind,
    status,
    validTo: m.validity.validTo,
    scenario,
    specificity: m.specificity,
    factsUsed: used,
    reason,
    missing,
    failed,
    ...precisionOf(m),
  };
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
