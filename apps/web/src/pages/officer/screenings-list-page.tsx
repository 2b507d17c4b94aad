import { useState } from 'react';
import { ApiError, del, type HealthReport, type ScreeningSummary } from '../../api';
import { ErrorNote, Loading } from '../../components/bits';
import { useFetch } from '../../hooks/use-fetch';
import { formatDateTime, useLang } from '../../i18n';
import { Link } from '../../router';
import { href } from '../../routes';
import { NewScreening } from './new-screening';
import { ACTIVE, Progress, StateBadge } from './screening-state';

/** The officer's start page: upload a list of prospects to screen, and the screenings saved so far. */
export function ScreeningsListPage() {
  const { t, lang } = useLang();
  // While something runs, the list refreshes itself.
  const screenings = useFetch<{ items: ScreeningSummary[] }>('/screenings', { poll: { every: 1500, while: (r) => r.items.some((s) => ACTIVE.has(s.state)) } });
  const list = screenings.data?.items ?? null;
  const [removeFailure, setRemoveFailure] = useState<unknown>(null);
  const retention = useFetch<HealthReport>('/health').data?.retention;
  const failure = screenings.error ?? removeFailure;
  const load = () => {
    setRemoveFailure(null);
    screenings.reload();
  };

  const remove = async (s: ScreeningSummary) => {
    if (!confirm(ACTIVE.has(s.state) ? t('cancelConfirm') : t('removeConfirm'))) return;
    setRemoveFailure(null);
    await del(`/screenings/${encodeURIComponent(s.id)}`).catch((e: unknown) => setRemoveFailure(e));
    screenings.reload();
  };

  return (
    <>
      <h1 className="page-title">{t('officerTitle')}</h1>
      <p className="lead">{t('officerIntro')}</p>
      <p className="muted small">{t('officerRetention', { days: retention?.screeningDays ?? 180 })}</p>
      <NewScreening />
      <section aria-labelledby="saved-title" className="saved">
        <h2 id="saved-title">{t('savedScreenings')}</h2>
        {failure ? (
          <ErrorNote
            error={failure instanceof ApiError && failure.status === 404 ? new ApiError(404, '', t('screeningUnavailable'), []) : failure}
            onRetry={load}
          />
        ) : null}
        {!list ? (
          failure ? null : (
            <Loading />
          )
        ) : list.length === 0 ? (
          <p className="muted">{t('noScreenings')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('screeningName')}</th>
                  <th scope="col">{t('filterStatus')}</th>
                  <th scope="col">{t('rows')}</th>
                  <th scope="col">{t('rowsFailed')}</th>
                  <th scope="col">{t('created')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('deleteScreening')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <Link to={href('screening', { id: s.id })}>{s.name || s.id.slice(0, 8)}</Link>
                    </td>
                    <td>{ACTIVE.has(s.state) ? <Progress s={s} /> : <StateBadge state={s.state} />}</td>
                    <td className="num">{s.rowsTotal ?? s.rowsDone}</td>
                    <td className="num">{s.rowsFailed}</td>
                    <td>{formatDateTime(s.createdAt, lang)}</td>
                    <td>
                      <button type="button" className="btn btn-small btn-link" onClick={() => void remove(s)}>
                        {ACTIVE.has(s.state) ? t('cancel') : t('deleteScreening')}
                        <span className="visually-hidden"> {s.name}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
