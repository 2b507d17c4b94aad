import request from 'supertest';
import { writeFileSync } from 'node:fs';
import { backends } from '../support/backends';
import { createTestApp, type TestApp } from '../support/test-app';

describe.each(backends().slice(0,1))('explore $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    const s = Date.now();
    t = await createTestApp(backend);
    console.log('boot ms', Date.now() - s);
  }, 60_000);
  afterAll(async () => t?.close());

  it('dumps', async () => {
    const s = request(t.app.getHttpServer());
    const out: Record<string, unknown> = {};
    const p = { location: { district: 'jingan' }, sectors: ['professional-services/testing-certification'], roles: ['professional-service-institution'], plans: ['international-standards'] };
    out.match = (await s.post('/api/v1/match').send({ profile: p, asOf: '2025-06-01' })).body;
    out.matchNoSector = (await s.post('/api/v1/match').send({ profile: { location: { district: 'jingan' }, roles: ['professional-service-institution'] }, asOf: '2025-06-01' })).body;
    out.compare = (await s.post('/api/v1/match/compare').send({ profile: p, asOf: '2025-06-01' })).body;
    out.detail = (await s.get('/api/v1/measures/jingan-2024-professional-services-quality?asOf=2025-06-01')).body;
    out.departments = (await s.get('/api/v1/departments')).body;
    out.documents = (await s.get('/api/v1/documents')).body;
    const doc = (await s.get('/api/v1/documents/qingpu-cppcc-proposal-168-reply-2022')).body; doc.fullText = String(doc.fullText).slice(0, 200); out.doc = doc;
    out.taxonomy = (await s.get('/api/v1/taxonomy')).body;
    const docs = (await s.get('/api/v1/docs-json')); out.docsJson = { status: docs.status, paths: Object.keys(docs.body.paths ?? {}), match: docs.body.paths?.['/api/v1/match'] };
    const bad: Record<string, unknown> = {};
    bad.malformed = (await s.post('/api/v1/match').set('Content-Type', 'application/json').send('{"profile":')).body;
    bad.profileString = (await s.post('/api/v1/match').send({ profile: 'x' })).body;
    bad.districtsNotArray = (await s.post('/api/v1/match').send({ profile: p, districts: 'xuhui' })).body;
    bad.date = (await s.post('/api/v1/match').send({ profile: p, asOf: '2025-02-30' })).body;
    bad.incl = (await s.post('/api/v1/match').send({ profile: p, includeExpired: 'yes' })).body;
    bad.lang = (await s.post('/api/v1/match').send({ profile: p, lang: 'fr' })).body;
    bad.unknownTop = (await s.post('/api/v1/match').send({ profile: p, foo: 1 })).body;
    bad.unknownProfile = (await s.post('/api/v1/match').send({ profile: { ...p, foo: 1 } })).body;
    bad.unknownCode = (await s.post('/api/v1/match').send({ profile: { ...p, sectors: ['ai', 'nope'] } })).body;
    bad.area = (await s.post('/api/v1/match').send({ profile: { location: { district: 'jingan', area: 'xuhui/west-bund' } } })).body;
    bad.big = await s.post('/api/v1/match').set('Content-Type', 'application/json').send(JSON.stringify({ profile: p, pad: 'x'.repeat(1_100_000) })).then(r => ({ status: r.status, ct: r.headers['content-type'], body: r.body }));
    bad.route = await s.get('/api/v1/nope').then(r => ({ status: r.status, ct: r.headers['content-type'], body: r.body }));
    bad.limit0 = (await s.get('/api/v1/measures?limit=0')).body;
    bad.unknownQ = (await s.get('/api/v1/measures?foo=1')).body;
    bad.eval401 = await s.get('/api/v1/evaluations/' + out.match && (out.match as any).evaluationId).then(r => ({ status: r.status, body: r.body }));
    bad.evalNonUuid = await s.get('/api/v1/evaluations/abc').set('X-API-Key', 'test-admin-key-0123456789abcdef').then(r => ({ status: r.status, body: r.body }));
    bad.eval = await s.get('/api/v1/evaluations/' + (out.match as any).evaluationId).set('X-API-Key', 'test-admin-key-0123456789abcdef').then(r => ({ status: r.status, body: r.body }));
    out.bad = bad;
    writeFileSync('/tmp/explore/out.json', JSON.stringify(out, null, 1));
  });
});
