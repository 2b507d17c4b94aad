import { href, matchRoute, ROUTES, type RouteName } from './routes';

describe('the route table', () => {
  it('matches every link it builds back to the same route and parameters', () => {
    const params: Record<RouteName, Record<string, string>> = {
      match: {},
      compare: {},
      catalog: {},
      measure: { id: 'jingan-2024/quality ①' },
      document: { id: 'doc?x=1#y' },
      officer: {},
      screening: { id: 'a1b2' },
      prospect: { id: 'a1b2', row: '17' },
      admin: {},
      expiry: {},
    };
    for (const name of Object.keys(ROUTES) as RouteName[]) {
      const link = (href as (n: RouteName, p?: Record<string, string>) => string)(name, params[name]);
      expect(matchRoute(link)).toEqual({ name, params: params[name] });
    }
  });

  it('encodes parameters into one path segment', () => {
    expect(href('measure', { id: 'a/b c' })).toBe('/measures/a%2Fb%20c');
    expect(href('prospect', { id: 'x', row: 3 })).toBe('/officer/screenings/x/prospects/3');
  });

  it('serves the start page at /index.html and ignores a trailing slash', () => {
    expect(matchRoute('/index.html')).toEqual({ name: 'match', params: {} });
    expect(matchRoute('/officer/screenings/abc/')).toEqual({ name: 'screening', params: { id: 'abc' } });
  });

  it('finds nothing for unknown paths, empty parameters or malformed escapes', () => {
    for (const path of ['/nowhere', '/measures/a/b', '/measures//', '/officer/screenings//prospects/1', '/measures/%E0%A4%A', '/compare/extra']) {
      expect(matchRoute(path)).toBeNull();
    }
  });
});
