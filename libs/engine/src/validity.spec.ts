import { IN_FORCE, PLAN_PERIOD, TERM_UNKNOWN } from '../../../test/factories/rule.factory';
import { statusOf, statusRank, todayInShanghai } from './validity';

describe('statusOf', () => {
  it.each([
    ['2024-12-08', 'not-yet-in-force'],
    ['2024-12-09', 'in-force'],
    ['2025-06-30', 'in-force'],
    ['2025-12-31', 'in-force'],
    ['2026-01-01', 'expired'],
  ])('on %s a measure valid 2024-12-09..2025-12-31 is %s', (asOf, status) => {
    expect(statusOf(IN_FORCE, asOf)).toBe(status);
  });

  it('crosses month and year boundaries by date, not by string length', () => {
    expect(statusOf(PLAN_PERIOD, '2020-12-31')).toBe('not-yet-in-force');
    expect(statusOf(PLAN_PERIOD, '2021-01-01')).toBe('in-force');
    expect(statusOf({ validFrom: '2021-01-01', validTo: '2021-02-28', basis: 'stated' }, '2021-03-01')).toBe('expired');
  });

  it('a measure without dates has an unknown term, whatever the date', () => {
    expect(statusOf(TERM_UNKNOWN, '1999-01-01')).toBe('term-unknown');
    expect(statusOf(TERM_UNKNOWN, '2099-01-01')).toBe('term-unknown');
  });

  it('open-ended terms: only a start, or only an end', () => {
    expect(statusOf({ validFrom: '2024-01-01', validTo: null, basis: 'stated' }, '2099-01-01')).toBe('in-force');
    expect(statusOf({ validFrom: null, validTo: '2024-01-01', basis: 'stated' }, '2024-01-02')).toBe('expired');
  });
});

describe('statusRank', () => {
  it('orders in force, term unknown, not yet in force, expired', () => {
    const order = (['expired', 'not-yet-in-force', 'in-force', 'term-unknown'] as const).slice().sort((a, b) => statusRank(a) - statusRank(b));
    expect(order).toEqual(['in-force', 'term-unknown', 'not-yet-in-force', 'expired']);
  });
});

describe('todayInShanghai', () => {
  it('is the date in UTC+8', () => {
    expect(todayInShanghai(new Date('2025-12-31T15:59:59Z'))).toBe('2025-12-31');
    expect(todayInShanghai(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
  });
});
