import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { langOf, plainProblem } from '../../apps/api/src/common/problem.filter';
import { serveWebApp, WEB_CSP } from '../../apps/api/src/web/web-app';
import { backends } from '../support/backends';
import { expectProblem } from '../support/http';
import { createTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { bearer, createOfficer } from './screenings.helpers';

describe('failed keys in headers are throttled as sign-ins are', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());
  // Behind a trusted proxy, so each test speaks as a client of its own.
  const from = (client: string) => ({ 'X-Forwarded-For': client });

  beforeAll(async () => {
    t = await createTestApp(backends()[0], { KEY_FAILURES_PER_CLIENT: 3, KEY_FAILURES_PER_PREFIX: 5, TRUST_PROXY: 'loopback' });
  }, 60_000);
  afterAll(async () => t?.close(), 60_000);

  it('per client: after 3 wrong keys (X-API-Key or Bearer) the client gets 429 with Retry-After, even with the right key', async () => {
    const client = from('203.0.113.7');
    expectProblem(await http().get('/api/v1/officers/me').set(client).set('X-API-Key', 'pm_wrongKeyNumberOne_0123456789'), 401);
    expectProblem(await http().get('/api/v1/officers/me').set(client).set('Authorization', 'Bearer pm_wrongKeyNumberTwo_0123456789'), 401);
    expectProblem(await http().get('/api/v1/screenings').set(client).set('X-API-Key', 'xx_wrongKeyNumberThree_012345'), 401);
    const throttled = await http().get('/api/v1/officers/me').set(client).set('X-API-Key', TEST_ADMIN_KEY);
    expectProblem(throttled, 429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(throttled.body.detail).toMatch(/Too many failed API key attempts/);
    // Another client is not held up by it.
    await http().get('/api/v1/officers/me').set(from('203.0.113.8')).set('X-API-Key', TEST_ADMIN_KEY).expect(200);
  });

  it('per key prefix: guesses spread over many clients are held at 5', async () => {
    const prefix = 'pm_SamePrefix';
    for (let i = 0; i < 5; i++)
      expectProblem(
        await http()
          .get('/api/v1/officers/me')
          .set(from(`198.51.100.${i}`))
          .set('X-API-Key', `${prefix}_guess_${i}_abcdefgh`),
        401,
      );
    expectProblem(await http().get('/api/v1/officers/me').set(from('198.51.100.99')).set('X-API-Key', `${prefix}_guess_99_abcdefgh`), 429);
  });
});

describe('the web page under its own policy, by any name', () => {
  let app: INestApplication;
  let dist: string;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'web-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>matcher</title>');
    @Module({})
    class Empty {}
    app = (await Test.createTestingModule({ imports: [Empty] }).compile()).createNestApplication({ logger: false });
    serveWebApp(app, dist);
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it.each(['/', '/index.html', '/officer'])('%s carries the page CSP (no unsafe-inline)', async (path) => {
    const res = await request(app.getHttpServer()).get(path).expect(200);
    expect(res.headers['content-security-policy']).toBe(WEB_CSP);
    expect(res.headers['content-security-policy']).not.toMatch(/unsafe-inline/);
  });
});

describe('internal error texts become plain sentences in the user’s language', () => {
  it.each([
    ["Cannot read properties of undefined (reading 'params')", 'zh', /结构不完整/],
    ["Cannot read properties of undefined (reading 'params')", 'en', /structure is incomplete/],
    ['incorrect header check', 'zh', /压缩的内容无法解压/],
    ['the catalog does not build: x.map is not a function', 'en', /structure is incomplete/],
  ] as const)('%s (%s)', (text, lang, sentence) => {
    const problem = plainProblem({ type: 'about:blank', title: 'x', status: 422, detail: text, errors: [{ path: 'draft', message: text }] }, lang);
    expect(problem.detail).toMatch(sentence);
    expect(problem.errors?.[0].message).toMatch(sentence);
    expect(JSON.stringify(problem)).not.toContain(text);
  });

  it('leaves the service’s own messages alone', () => {
    const problem = plainProblem(
      { type: 'about:blank', title: 'x', status: 400, errors: [{ path: 'profile.sectors[0]', message: 'is not a sector code' }] },
      'en',
    );
    expect(problem.errors?.[0].message).toBe('is not a sector code');
  });

  it('reads the language from lang, else Accept-Language, else Chinese', () => {
    const req = (query: object, body: object, accept?: string) => ({ query, body, headers: accept ? { 'accept-language': accept } : {} }) as never;
    expect(langOf(req({ lang: 'en' }, {}))).toBe('en');
    expect(langOf(req({}, { lang: 'en' }))).toBe('en');
    expect(langOf(req({}, {}, 'en-GB,en;q=0.9'))).toBe('en');
    expect(langOf(req({}, {}, 'zh-CN'))).toBe('zh');
    expect(langOf(req({}, {}))).toBe('zh');
  });

  describe('over HTTP', () => {
    let t: TestApp;
    let key: string;
    beforeAll(async () => {
      t = await createTestApp(backends()[0]);
      key = (await createOfficer(t.app, 'errors')).key;
    }, 60_000);
    afterAll(async () => t?.close(), 60_000);

    // Before, unzipper reported the damage on the archive's stream and the request never ended.
    it('a workbook with damaged compressed data: 400 saying so at once, no zlib text', async () => {
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('s').addRow(['所在区']);
      const zip = Buffer.from(await wb.xlsx.writeBuffer());
      // Overwrite the first entry's compressed bytes (after its local header and name) with garbage.
      const nameLength = zip.readUInt16LE(26);
      const extra = zip.readUInt16LE(28);
      const start = 30 + nameLength + extra;
      zip.fill(0xff, start, start + 40);
      for (const lang of ['zh', 'en'] as const) {
        const res = await request(t.app.getHttpServer())
          .post('/api/v1/screenings/preview')
          .set(bearer(key))
          .field('lang', lang)
          .attach('file', zip, 'damaged.xlsx');
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.text).not.toMatch(/incorrect header check|invalid (block type|stored block|distance|code lengths)|Z_DATA_ERROR|Cannot read properties/);
        process.stdout.write(`damaged workbook (${lang}): ${res.status} ${res.body.detail}\n`);
      }
    });
  });
});
