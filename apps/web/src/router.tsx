import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/** A tiny history router: paths like /measures/:id, served by the API's SPA fallback. */

const EVENT = 'matcher:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(EVENT, onChange);
  };
}

const snapshot = (): string => location.pathname + location.search;

export function useLocation(): { path: string; search: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, location.origin);
  return { path: url.pathname, search: url.searchParams };
}

/** Goes to `to` (keeping ?lang when set); `replace` rewrites the current entry instead of adding one. */
export function navigate(to: string, { replace = false, keepHash = false } = {}): void {
  const url = new URL(to, location.origin);
  const lang = new URLSearchParams(location.search).get('lang');
  if (lang && !url.searchParams.has('lang')) url.searchParams.set('lang', lang);
  if (keepHash && !url.hash) url.hash = location.hash;
  const target = url.pathname + url.search + url.hash;
  if (replace) history.replaceState(null, '', target);
  else history.pushState(null, '', target);
  window.dispatchEvent(new Event(EVENT));
  if (!replace && !url.hash) window.scrollTo(0, 0);
}

/** Replaces the query string of the current address without a new history entry. */
export function setSearch(params: Record<string, string | number | undefined | null>): void {
  const url = new URL(location.href);
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') url.searchParams.delete(k);
    else url.searchParams.set(k, String(v));
  }
  history.replaceState(history.state, '', url);
  window.dispatchEvent(new Event(EVENT));
}

export function hrefWithLang(to: string): string {
  const lang = new URLSearchParams(location.search).get('lang');
  if (!lang || to.startsWith('/api/')) return to;
  const url = new URL(to, location.origin);
  if (!url.searchParams.has('lang')) url.searchParams.set('lang', lang);
  return url.pathname + url.search + url.hash;
}

export function Link({ to, onClick, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const href = hrefWithLang(to);
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || rest.target) return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}
