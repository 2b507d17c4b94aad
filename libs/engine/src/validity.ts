import type { Validity } from '@matcher/catalog/types';

export type MeasureStatus = 'in-force' | 'expired' | 'not-yet-in-force' | 'term-unknown';

/** Dates are ISO `YYYY-MM-DD`, so string order is date order. */
export function statusOf(validity: Validity, asOf: string): MeasureStatus {
  const { validFrom, validTo } = validity;
  if (!validFrom && !validTo) return 'term-unknown';
  if (validFrom && asOf < validFrom) return 'not-yet-in-force';
  if (validTo && asOf > validTo) return 'expired';
  return 'in-force';
}

const STATUS_RANK: Record<MeasureStatus, number> = { 'in-force': 0, 'term-unknown': 1, 'not-yet-in-force': 2, expired: 3 };

export function statusRank(status: MeasureStatus): number {
  return STATUS_RANK[status];
}

// Built once: constructing an Intl.DateTimeFormat costs more than a whole match-only evaluation.
const SHANGHAI_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today in Asia/Shanghai, the default date matching is done as of. */
export function todayInShanghai(now: Date = new Date()): string {
  return SHANGHAI_DATE.format(now);
}
