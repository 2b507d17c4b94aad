import { aRule, aRuleset, leaf } from '../../../test/factories/rule.factory';
import { measureResult, nearMiss, priorityResult, projectMeasure } from './results';

describe('projectMeasure and the result shapes built from it', () => {
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

  it('projects the fields named, in the order named, from the measure record', () => {
    expect(projectMeasure(measure, 'expired', 'relocation', ['status', 'documentId', 'measureId', 'departments'])).toEqual({
      status: 'expired',
      documentId: 'test-document',
      measureId: 'm',
      departments: [{ name: '区商务委', nameEn: 'Commission of Commerce', source: 'inferred' }],
    });
    expect(JSON.stringify(projectMeasure(measure, 'expired', 'relocation', ['scenario', 'validTo']))).toBe('{"scenario":"relocation","validTo":"2025-12-31"}');
  });
});
