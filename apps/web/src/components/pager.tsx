import { useLang } from '../i18n';

/** Previous and next over a list the server pages; nothing when everything fits on one page. */
export function Pager({ total, offset, limit, onPage }: { total: number; offset: number; limit: number; onPage: (offset: number) => void }) {
  const { t } = useLang();
  if (total <= limit) return null;
  return (
    <nav className="pager" aria-label={t('pageOf', { from: offset + 1, to: Math.min(total, offset + limit), total })}>
      <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - limit))}>
        {t('previous')}
      </button>
      <span>{t('pageOf', { from: offset + 1, to: Math.min(total, offset + limit), total })}</span>
      <button type="button" className="btn btn-small" disabled={offset + limit >= total} onClick={() => onPage(offset + limit)}>
        {t('next')}
      </button>
    </nav>
  );
}
