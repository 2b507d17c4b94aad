import { useState, type ReactNode } from 'react';
import { ApiError, del, type Officer } from '../../api';
import { ErrorNote, Loading } from '../../components/bits';
import { useFetch } from '../../hooks/use-fetch';
import { useLang } from '../../i18n';
import { navigate } from '../../router';
import { href } from '../../routes';
import { SignIn } from './sign-in';

/** Every officer page: the sign-in form until an officer is signed in, then the page under a bar to sign out. */
export function OfficerLayout({ children }: { children: ReactNode }) {
  const { t } = useLang();
  const me = useFetch<Officer>('/officers/me');
  // Signing in or out here decides over what the server said when the page opened.
  const [session, setSession] = useState<Officer | 'out' | null>(null);
  const refused = me.error instanceof ApiError && (me.error.status === 401 || me.error.status === 403);
  const officer = session ?? (refused ? 'out' : me.data);

  const signOut = async () => {
    await del('/session').catch(() => undefined);
    setSession('out');
    navigate(href('officer'));
  };

  if (officer === 'out') return <SignIn onSignedIn={setSession} />;
  if (me.error && !officer) return <ErrorNote error={me.error} onRetry={me.reload} />;
  if (!officer) return <Loading />;
  return (
    <div className="page officer-page">
      <div className="officer-bar">
        <p className="muted">{t('signedInAs', { name: officer.name })}</p>
        <button type="button" className="btn btn-small" onClick={() => void signOut()}>
          {t('signOut')}
        </button>
      </div>
      {children}
    </div>
  );
}
