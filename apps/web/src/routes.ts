/**
 * Every address of the web app, in one table: the location is matched against it and links are built from it,
 * so the two cannot drift apart. `:name` stands for one path segment.
 */
export const ROUTES = {
  match: '/',
  compare: '/compare',
  catalog: '/measures',
  measure: '/measures/:id',
  document: '/documents/:id',
  officer: '/officer',
  screening: '/officer/screenings/:id',
  prospect: '/officer/screenings/:id/prospects/:row',
  admin: '/admin',
  expiry: '/admin/expiry',
} as const;

export type RouteName = keyof typeof ROUTES;

type ParamsOf<P extends string> = P extends `${string}:${infer N}/${infer Rest}` ? N | ParamsOf<`/${Rest}`> : P extends `${string}:${infer N}` ? N : never;
export type RouteParams<N extends RouteName> = Record<ParamsOf<(typeof ROUTES)[N]>, string>;

/** A matched location: the route's name and its decoded parameters. */
export type RouteMatch = { [N in RouteName]: { name: N; params: RouteParams<N> } }[RouteName];

/** The parts of the app the header links to, each named after its first route. */
export type Section = 'match' | 'compare' | 'catalog' | 'officer' | 'admin';

/** The section a route belongs to (the header marks it current, the tab's title names it). */
export const SECTION: Record<RouteName, Section> = {
  match: 'match',
  compare: 'compare',
  catalog: 'catalog',
  measure: 'catalog',
  document: 'catalog',
  officer: 'officer',
  screening: 'officer',
  prospect: 'officer',
  admin: 'admin',
  expiry: 'admin',
};

/** The address of a route; parameters are encoded. */
export function href<N extends RouteName>(
  name: N,
  ...[params]: ParamsOf<(typeof ROUTES)[N]> extends never ? [] : [Record<ParamsOf<(typeof ROUTES)[N]>, string | number>]
): string {
  const values = (params ?? {}) as Record<string, string | number>;
  return ROUTES[name].replace(/:(\w+)/g, (_, key: string) => encodeURIComponent(String(values[key])));
}

const compiled = (Object.entries(ROUTES) as [RouteName, string][]).map(([name, pattern]) => ({ name, segments: pattern.split('/').slice(1) }));

/** The route of a path, or null (not found). `/index.html` is the start page, as the server serves it; a trailing slash is ignored. */
export function matchRoute(path: string): RouteMatch | null {
  const normal = path === '/index.html' ? '/' : path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const segments = normal.split('/').slice(1);
  for (const route of compiled) {
    if (route.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = route.segments.every((s, i) => {
      if (!s.startsWith(':')) return s === segments[i];
      if (!segments[i]) return false;
      try {
        params[s.slice(1)] = decodeURIComponent(segments[i]);
        return true;
      } catch {
        return false; // a malformed escape is no address of ours
      }
    });
    if (ok) return { name: route.name, params } as RouteMatch;
  }
  return null;
}
