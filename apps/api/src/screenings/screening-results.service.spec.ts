import type { ScreeningResultsRepository, ScreeningRow } from '@matcher/persistence';
import { aProfile } from '../../../../test/factories/profile.factory';
import { aRule, aRuleset, leaf } from '../../../../test/factories/rule.factory';
import type { LiveRuleset } from '../catalog/live-ruleset.service';
import { ScreeningResultsService } from './screening-results.service';
import type { ScreeningStore } from './screening-store.service';

describe('ScreeningResultsService.prospect', () => {
  // A measure in force from 1 January 2027: at 17:00 UTC on 31 December 2026 it is already 1 January in Shanghai.
  const ruleset = aRuleset([
    aRule({ id: 'new-year', conditions: [leaf.sectors(['ai'])], validity: { validFrom: '2027-01-01', validTo: null, basis: 'stated' } }),
  ]);
  const prospectRow = { row_no: 1, sheet_row: '2', name: '甲', uscc: null, profile: aProfile({ sectors: ['ai'] }), errors: null };
  const service = new ScreeningResultsService(
    { prospect: () => Promise.resolve(prospectRow) } as unknown as ScreeningResultsRepository,
    { ruleset } as LiveRuleset,
    {} as ScreeningStore,
  );
  // No run yet and no date asked for: the prospect is evaluated as of today.
  const screening = { id: 'screening-1', current_run: 0, options: {} } as unknown as ScreeningRow;

  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-31T17:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('defaults the date to today in Asia/Shanghai, not in UTC', async () => {
    const answer = (await service.prospect(screening, 1, 'en')) as { asOf: string; matches: { measureId: string; status: string }[] };
    expect(answer.asOf).toBe('2027-01-01');
    expect(answer.matches).toEqual([expect.objectContaining({ measureId: 'new-year', status: 'in-force' })]);
  });

  it('adds the text of each worded item in the language asked for', async () => {
    const answer = (await service.prospect(screening, 1, 'zh')) as { matches: { explanation: { zh: string; text: string }[] }[] };
    const held = answer.matches[0].explanation;
    expect(held.length).toBeGreaterThan(0);
    for (const h of held) expect(h.text).toBe(h.zh);
  });
});
