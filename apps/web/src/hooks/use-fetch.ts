import { useEffect, useState } from 'react';
import { request } from '../api';

export interface FetchOptions<T> {
  /** Sent as JSON with POST; without it the request is a GET. Compared by content, not identity. */
  body?: unknown;
  /** A value that, when it changes, asks again for the same path (e.g. a screening's progress). */
  version?: string | number;
  /** Ask again every `every` ms while `while` holds for the latest answer (e.g. a screening still running). */
  poll?: { every: number; while: (data: T) => boolean };
}

export interface FetchState<T> {
  /** The latest answer; kept while a new request is on its way, so a page does not blank between filters. */
  data: T | null;
  /** The failure of the current request only: a new path, body, version or a reload hides it. */
  error: unknown;
  /** The current request has neither answered nor failed yet. */
  loading: boolean;
  /** Asks again (a retry button, or after an action changed what the server holds). */
  reload: () => void;
}

/**
 * A request owned by a component: `path` null asks nothing. A change of request or unmounting aborts the one
 * in flight, so a late answer never overwrites a newer one.
 */
export function useFetch<T>(path: string | null, { body, version, poll }: FetchOptions<T> = {}): FetchState<T> {
  // The request travels into the effect as one string: a new body object with the same content asks nothing new.
  const req = path === null ? null : JSON.stringify([path, body ?? null, version ?? null]);
  const [attempt, setAttempt] = useState(0);
  const [tick, setTick] = useState(0);
  const key = req === null ? null : `${attempt}\n${req}`;
  const [loaded, setLoaded] = useState<{ key: string; data: T } | null>(null);
  const [failed, setFailed] = useState<{ key: string; error: unknown } | null>(null);

  useEffect(() => {
    if (key === null) return;
    const [p, b] = JSON.parse(key.slice(key.indexOf('\n') + 1)) as [string, unknown];
    const ctrl = new AbortController();
    request<T>(b === null ? 'GET' : 'POST', p, b === null ? undefined : b, ctrl.signal)
      .then((data) => setLoaded({ key, data }))
      .catch((e: unknown) => {
        if ((e as Error).name !== 'AbortError') setFailed({ key, error: e });
      });
    return () => ctrl.abort();
  }, [key, tick]);

  const data = loaded?.data ?? null;
  const error = key !== null && failed?.key === key ? failed.error : null;
  const current = key !== null && loaded?.key === key;
  const polling = Boolean(poll && current && data !== null && !error && poll.while(data));
  const every = poll?.every ?? 0;
  // The next poll is timed from the last answer, so a slow server is never asked twice at once.
  useEffect(() => {
    if (!polling) return;
    const timer = setTimeout(() => setTick((n) => n + 1), every);
    return () => clearTimeout(timer);
  }, [polling, every, loaded]);

  return { data, error, loading: key !== null && !current && !error, reload: () => setAttempt((n) => n + 1) };
}
