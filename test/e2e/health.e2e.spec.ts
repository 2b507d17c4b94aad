import request from 'supertest';
import { backends } from '../support/backends';
import { createTestApp, type TestApp } from '../support/test-app';

describe.each(backends())('health and catalog on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(backend);
  }, 60_000);
  afterAll(async () => t?.close());

  it('reports the ruleset, the measures and a reachable database', async () => {
    const res = await request(t.app.getHttpServer()).get('/api/v1/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', database: 'up' });
    expect(res.body.measures).toBeGreaterThan(250);
    expect(res.headers['x-ruleset-version']).toBe(res.body.rulesetVersion);
  });

  it('lists every measure with the whole record, paged', async () => {
    const page = await request(t.app.getHttpServer()).get('/api/v1/measures').expect(200);
    expect(page.body.items).toHaveLength(50);
    const all = await request(t.app.getHttpServer()).get('/api/v1/measures?limit=500').expect(200);
    expect(all.body.total).toBe(all.body.items.length);
    const quality = all.body.items.find((m: { title: string }) => m.title === '支持专业服务业品质化升级');
    expect(quality.departments.map((d: { name: string; source: string }) => `${d.name}/${d.source}`)).toEqual([
      '区司法局/document',
      '区财政局/document',
      '区人力资源社会保障局/document',
      '区市场监管局/document',
      '区投资办/document',
    ]);
    expect(quality.source).toMatchObject({ documentId: 'jingan-modern-industry-measures-2024', issuedOn: '2024-12-09' });
    expect(quality.validity).toEqual({ validFrom: '2024-12-09', validTo: '2025-12-31', basis: 'stated' });
  });
});
