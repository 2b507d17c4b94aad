import request from 'supertest';
import { backends } from '../support/backends';
import { routesOf, type Route } from '../support/routes';
import { createTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

const concrete = (path: string): string => path.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');

describe.each(backends())('access control on $name', (backend) => {
  let t: TestApp;
  let routes: Route[];
  let officerKey: string;
  let revokedKey: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    routes = routesOf(t);
    const http = t.app.getHttpServer();
    const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
    officerKey = (await request(http).post('/api/v1/officers').set(admin).send({ name: 'Officer A' }).expect(201)).body.key;
    const other = (await request(http).post('/api/v1/officers').set(admin).send({ name: 'Officer B' }).expect(201)).body;
    revokedKey = other.key;
    const list = (await request(http).get('/api/v1/officers').set(admin).expect(200)).body as { id: string; keys: { id: string }[] }[];
    const b = list.find((o) => o.id === other.officer.id)!;
    await request(http).delete(`/api/v1/officers/${b.id}/keys/${b.keys[0].id}`).set(admin).expect(204);
  }, 60_000);
  afterAll(async () => t?.close());

  it('classifies every route of the application as public or protected', () => {
    expect(routes.length).toBeGreaterThan(15);
    const unclassified = routes.filter((r) => r.access === 'unclassified').map((r) => `${r.method} ${r.path}`);
    expect(unclassified).toEqual([]);
    expect(routes.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['POST /api/v1/match', 'POST /api/v1/match/compare', 'GET /api/v1/measures', 'GET /api/v1/taxonomy', 'GET /api/v1/health']),
    );
    expect(routes.find((r) => r.path === '/api/v1/match/batch')?.access).toBe('officer');
    expect(routes.find((r) => r.path === '/api/v1/evaluations/:id')?.access).toBe('officer');
  });

  it('rejects a missing, malformed, unknown or revoked key on every protected route (401)', async () => {
    const protectedRoutes = routes.filter((r) => r.access === 'officer' || r.access === 'admin');
    expect(protectedRoutes.length).toBeGreaterThan(4);
    const attempts: [string, Record<string, string>][] = [
      ['missing', {}],
      ['malformed', { authorization: 'Bearer short' }],
      ['unknown', { 'x-api-key': 'pm_thisKeyWasNeverIssuedToAnyoneAtAll123' }],
      ['revoked', { authorization: `Bearer ${revokedKey}` }],
      ['wrong scheme', { authorization: `Basic ${Buffer.from(`x:${TEST_ADMIN_KEY}`).toString('base64')}` }],
    ];
    for (const route of protectedRoutes) {
      for (const [what, headers] of attempts) {
        const res = await request(t.app.getHttpServer())[route.method.toLowerCase() as 'get'](concrete(route.path)).set(headers).send({});
        expect({ route: `${route.method} ${route.path}`, what, status: res.status, type: res.headers['content-type'] }).toEqual({
          route: `${route.method} ${route.path}`,
          what,
          status: 401,
          type: expect.stringMatching(/^application\/problem\+json/),
        });
      }
    }
  }, 30_000); // five attempts on each of some forty protected routes, one after another

  it('refuses admin routes to an officer (403) and lets the officer reach officer routes', async () => {
    const http = t.app.getHttpServer();
    for (const route of routes.filter((r) => r.access === 'admin')) {
      const res = await request(http)[route.method.toLowerCase() as 'get'](concrete(route.path)).set('x-api-key', officerKey).send({ name: 'x' });
      expect({ route: route.path, status: res.status }).toEqual({ route: route.path, status: 403 });
    }
    const me = await request(http).get('/api/v1/officers/me').set('authorization', `Bearer ${officerKey}`).expect(200);
    expect(me.body).toMatchObject({ name: 'Officer A', role: 'officer' });
  });

  it('signs the web app in with a key kept in an HttpOnly cookie, and out again', async () => {
    const agent = request.agent(t.app.getHttpServer());
    await agent.post('/api/v1/session').send({ apiKey: 'pm_thisKeyWasNeverIssuedToAnyoneAtAll123' }).expect(401);
    const signIn = await agent.post('/api/v1/session').send({ apiKey: officerKey }).expect(200);
    expect(String(signIn.headers['set-cookie'])).toMatch(/matcher_session=.*HttpOnly.*SameSite=Strict/i);
    await agent.get('/api/v1/officers/me').expect(200);
    await agent.delete('/api/v1/session').expect(204);
    await agent.get('/api/v1/officers/me').expect(401);
  });

  it('stores keys only as digests', async () => {
    const ds = t.app.get((await import('typeorm')).DataSource);
    const rows: { key_hash: string; hint: string }[] = await ds.query('SELECT key_hash, hint FROM api_key');
    expect(rows.length).toBeGreaterThan(2);
    for (const row of rows) {
      expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.key_hash).not.toContain(officerKey);
      expect(row.hint.length).toBeLessThanOrEqual(6);
    }
  });
});
