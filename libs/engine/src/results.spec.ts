import { aRule, aRuleset, leaf } from '../../../test/factories/rule.factory';
import { measureFields, measureResult, nearMiss, priorityResult } from './results';

describe('measureFields and the result shapes picked from it', () => {
  const measure = aRuleset([aRule({ id: 'm', conditions: [leaf.sectors(['ai'])] })]).measure('m');
  const held = [{ condition: 'sector', fact: 'sectors', values: ['ai'], zh: '行业：人工智能', en: 'Sector: AI' }];

  it('keeps each shape in its documented key order (the JSON of match result v1)', () => {
    expect(Object.keys(measureResult(measure, 'in-force', 'current-location', held))).toEqual([
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
      'explanation',
      'factsUsed',
    ]);
    expect(Object.keys(nearMiss(measure, 'expired', 'relocation', 1, 'needs-info', [], []))).toEqual([
      'measureId',
      'district',
      'title',
      'titleEn',
      'kind',
      'status',
      'validTo',
      'scenario',
      'specificity',
      'factsUsed',
      'reason',
      'missing',
      'failed',
    ]);
    expect(Object.keys(priorityResult(measure, 'in-force', 'current-location', held))).toEqual([
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
      'names',
    ]);
  });

  it('gives each field of the measure as results name it', () => {
    expect(measureFields(measure, 'expired', 'relocation')).toMatchObject({
      measureId: 'm',
      status: 'expired',
      scenario: 'relocation',
      documentId: 'test-document',
      validTo: '2025-12-31',
      departments: [{ name: '区商务委', nameEn: 'Commission of Commerce', source: 'inferred' }],
    });
    // Shared, frozen, by every result of the measure.
    expect(measureFields(measure, 'in-force', 'current-location').departments).toBe(measureResult(measure, 'in-force', 'current-location', []).departments);
  });
});
