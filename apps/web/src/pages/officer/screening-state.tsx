import type { ScreeningSummary } from '../../api';
import { useLang, type StringKey } from '../../i18n';

/** Screening states in which the server still works on it: pages showing one poll until it settles. */
export const ACTIVE = new Set(['queued', 'running', 'paused']);

export function StateBadge({ state }: { state: string }) {
  const { t } = useLang();
  return <span className={`badge badge-state-${state}`}>{t(`state_${state}` as StringKey)}</span>;
}

export function Progress({ s }: { s: ScreeningSummary }) {
  const { t } = useLang();
  const label = s.rowsTotal ? t('progress', { done: s.rowsDone, total: s.rowsTotal }) : t('progressUnknown', { done: s.rowsDone });
  return (
    <div className="progress">
      <progress max={s.rowsTotal || undefined} value={s.rowsTotal ? s.rowsDone : undefined} aria-label={label} />
      <span>{label}</span>
    </div>
  );
}
