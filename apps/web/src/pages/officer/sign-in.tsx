import { useState, type FormEvent } from 'react';
import { ApiError, post, type Officer } from '../../api';
import { ErrorNote } from '../../components/bits';
import { useLang } from '../../i18n';

/** Signing in with an officer's API key (the officer pages and the policy management pages). */
export function SignIn({ onSignedIn }: { onSignedIn: (o: Officer) => void }) {
  const { t } = useLang();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>('');
  const [failure, setFailure] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    setFailure(null);
    try {
      const officer = await post<Officer>('/session', { apiKey: key.trim() });
      setKey('');
      onSignedIn(officer);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 400)) setError(t('badKey'));
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="page narrow">
      <h1 className="page-title">{t('officerTitle')}</h1>
      <p className="lead">{t('officerIntro')}</p>
      <form className="card sign-in" onSubmit={(e) => void submit(e)} noValidate>
        <h2>{t('signInTitle')}</h2>
        <div className={`field${error ? ' has-error' : ''}`}>
          <label htmlFor="api-key">{t('apiKey')}</label>
          <p className="hint" id="api-key-hint">
            {t('apiKeyHint')}
          </p>
          <input
            id="api-key"
            type="password"
            autoComplete="current-password"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            required
            aria-invalid={error ? true : undefined}
            aria-describedby={`api-key-hint${error ? ' api-key-err' : ''}`}
          />
          {error ? (
            <p className="field-error" id="api-key-err" role="alert">
              {error}
            </p>
          ) : null}
        </div>
        {failure ? <ErrorNote error={failure} /> : null}
        <button type="submit" className="btn btn-primary" disabled={busy || !key.trim()}>
          {t('signIn')}
        </button>
      </form>
    </div>
  );
}
