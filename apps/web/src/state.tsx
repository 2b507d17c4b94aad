import { createContext, useContext, useEffect, useState, type Dispatch, type ReactNode, type SetStateAction } from 'react';
import type { MatchResponse } from './api';
import { decodeShare, EMPTY_FORM, loadDraft, saveDraft, type FormState } from './profile';
import { useLabels } from './taxonomy';

interface ProfileContextValue {
  form: FormState;
  setForm: Dispatch<SetStateAction<FormState>>;
  /** True when the match page should run the match as soon as it shows (a shared link, a link from compare). */
  autoRun: boolean;
  setAutoRun: (v: boolean) => void;
  /** The last match, kept while moving between pages. */
  result: MatchResponse | null;
  setResult: (r: MatchResponse | null) => void;
}

const ProfileContext = createContext<ProfileContextValue | null>(null);

/** The company's profile, shared by the match and compare pages and kept as a draft in localStorage. */
export function ProfileProvider({ children }: { children: ReactNode }) {
  const labels = useLabels();
  const [initial] = useState<{ form: FormState; fromLink: boolean }>(() => {
    const shared = decodeShare(location.hash, labels);
    return shared ? { form: shared, fromLink: true } : { form: loadDraft() ?? EMPTY_FORM, fromLink: false };
  });
  const [form, setForm] = useState<FormState>(initial.form);
  const [result, setResult] = useState<MatchResponse | null>(null);
  const [autoRun, setAutoRun] = useState(initial.fromLink);
  // A share link pasted into an open tab changes only the hash: read it, and run it.
  useEffect(() => {
    const onHash = () => {
      const shared = decodeShare(location.hash, labels);
      if (!shared) return;
      setForm(shared);
      setAutoRun(true);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [labels]);
  useEffect(() => {
    const id = setTimeout(() => saveDraft(form), 250);
    return () => clearTimeout(id);
  }, [form]);
  return <ProfileContext.Provider value={{ form, setForm, autoRun, setAutoRun, result, setResult }}>{children}</ProfileContext.Provider>;
}

export function useProfile(): ProfileContextValue {
  const ctx = useContext(ProfileContext);
  if (!ctx) throw new Error('ProfileProvider missing');
  return ctx;
}
