import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import request from 'supertest';
import { backends } from '../support/backends';
import { propertyRuns } from '../support/property-runs';
import { createTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { readZip, worksheetsLast, writeZip } from '../support/zip';
import { bearer, binary, createOfficer, toCsv, upload, waitFor } from './screenings.helpers';

/** An XLSX of the rows, the i-th data row numbered `order[i]` by the sheet (rows beyond `order` dropped). */
async function workbookWithRows(rows: string[][], order: number[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('p');
  ws.addRow(['企业名称', '所在区']);
  for (const r of rows.slice(0, order.length)) ws.addRow(r.map((c) => c.replaceAll('\u0000', '')));
  const entries = readZip(Buffer.from(await wb.xlsx.writeBuffer()));
  const xml = entries.get('xl/worksheets/sheet1.xml')!.toString('utf8');
  entries.set(
    'xl/worksheets/sheet1.xml',
    Buffer.from(
      xml.replace(/<row r="(\d+)"([^>]*)>(.*?)<\/row>/g, (_m, r: string, attrs: string, body: string) => {
        const to = r === '1' ? 1 : order[Number(r) - 2];
        return `<row r="${to}"${attrs}>${body.replace(/ r="([A-Z]+)\d+"/g, (_x: string, col: string) => ` r="${col}${to}"`)}</row>`;
      }),
    ),
  );
  return writeZip(worksheetsLast(entries));
}

/**
 * Malformed input, generated (NUL bytes, formula cells and XLSX rows out of order included): every case starts from a valid request and breaks it in at least one way, so the
 * only right answer is a 4xx application/problem+json with field paths — never a 5xx, never a stack trace.
 */
const VALID_PROFILE = { location: { district: 'jingan' }, sectors: ['ai/robotics'], plans: ['relocate-in'] };
const JSON_ENDPOINTS = [
  { path: '/api/v1/match', auth: false, body: { profile: VALID_PROFILE, asOf: '2025-06-01' } },
  { path: '/api/v1/match/compare', auth: false, body: { profile: VALID_PROFILE } },
  { path: '/api/v1/match/batch', auth: true, body: { profiles: [VALID_PROFILE] } },
  { path: '/api/v1/officers', auth: true, body: { name: 'fuzz', role: 'officer' } },
  { path: '/api/v1/session', auth: false, body: { apiKey: TEST_ADMIN_KEY } },
];

const junk = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

type Body = Record<string, unknown>;

const brokenProfile: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({
    location: fc.record({
      district: fc.string({ maxLength: 12 }).filter((d) => !['xuhui', 'jingan', 'qingpu', 'other-shanghai', 'outside-shanghai'].includes(d)),
    }),
  }),
  fc.constant({ location: { district: 'jingan', area: 'xuhui/west-bund' } }), // an area of the wrong district
  fc.constant({ location: { district: 'jingan' }, sectors: ['ai', 'ai'] }), // repeated code
  fc.constant({ location: { district: 'jingan' }, sectors: ['ai/no-such-child'] }), // unknown code
  fc.integer({ min: 21, max: 2000 }).map((n) => ({ location: { district: 'jingan' }, sectors: Array.from({ length: n }, (_, i) => `ai/x${i}`) })), // huge array
  fc.integer({ min: 201, max: 200_000 }).map((n) => ({ location: { district: 'jingan' }, name: 'x'.repeat(n) })), // huge string
  fc.oneof(fc.integer({ min: 10_000_001 }), fc.integer({ max: -1 })).map((n) => ({ location: { district: 'jingan' }, metrics: { employees: n } })), // out of range
  fc.double({ min: 1.0001, max: 1e6, noNaN: true }).map((r) => ({ location: { district: 'jingan' }, metrics: { rdExpenseRatio: r } })),
  fc.string({ minLength: 1, maxLength: 20 }).map((u) => ({ location: { district: 'jingan' }, uscc: `${u}!` })),
  fc.string({ minLength: 1, maxLength: 10 }).map((k) => ({ location: { district: 'jingan' }, [`x-${k}`]: 1 })), // unknown profile field
  fc.constant({ sectors: ['ai'] }), // no location
  junk.map((v) => ({ location: { district: 'jingan' }, sectors: v })).filter((p) => !Array.isArray(p.sectors) || p.sectors.length > 0),
);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Structural defects applied to the parsed body (sent as JSON). */
const structural = (base: Body): fc.Arbitrary<Body> => {
  const keys = Object.keys(base);
  return fc.oneof(
    // a known field of the wrong type (or missing when required)
    fc
      .tuple(fc.constantFrom(...keys), junk)
      .filter(([k, v]) => (v === null || typeof v !== typeof base[k]) && !(Array.isArray(v) && Array.isArray(base[k])))
      .map(([k, v]) => ({ ...clone(base), [k]: v })),
    // an unknown field
    fc
      .tuple(
        fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !keys.includes(k) && k !== '__proto__'),
        junk,
      )
      .map(([k, v]) => ({ ...clone(base), [k]: v })),
    // profile-level defects where there is a single profile (a batch reports them per profile instead)
    ...(base.profile ? [brokenProfile.map((profile) => ({ ...clone(base), profile }))] : []),
    ...(base.asOf !== undefined
      ? [fc.constantFrom('2025-02-30', '2025-13-01', '20250601', '2025-6-1', '0000-01-01', '2101-01-01', 'today').map((asOf) => ({ ...clone(base), asOf }))]
      : []),
  );
};

/** Defects of the raw text itself. */
const textual = (base: Body): fc.Arbitrary<string> => {
  const json = JSON.stringify(base);
  return fc.oneof(
    fc.string({ minLength: 1 }).filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    }),
    fc.integer({ min: 1, max: json.length - 1 }).map((n) => json.slice(0, n)), // truncated
    fc.constant(json.replace('{', `{"${Object.keys(base)[0]}":1,`)), // duplicate key
    fc.constantFrom('__proto__', 'constructor').map((k) => json.replace('{', `{"${k}":{"prototype":{"polluted":true},"polluted":true},`)),
    fc.integer({ min: 65, max: 20_000 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`), // deep nesting
    fc.integer({ min: 65, max: 5_000 }).map((d) => json.replace('{', `{"deep":${'{"a":'.repeat(d)}1${'}'.repeat(d)},`)),
    fc.constantFrom('\\ud800', '\\udfff', '\\ud83d').map((s) => json.replace('{', `{"name":"a${s}b",`)), // lone surrogates
    fc.constantFrom('"just a string"', '42', 'null', 'true', '[]', '[1,2]'),
    // an escaped NUL inside one of the body's strings (keys included): PostgreSQL cannot store it
    fc.nat().map((n) => {
      const strings = [...json.matchAll(/"(?:[^"\\]|\\.)*"/g)];
      const m = strings[n % strings.length];
      const at = m.index + 1 + (n % Math.max(1, m[0].length - 1));
      return `${json.slice(0, at)}\\u0000${json.slice(at)}`;
    }),
  );
};

describe.each(backends().slice(0, 1))('fuzzing every endpoint on $name', (backend) => {
  let t: TestApp;
  let seen = 0;
  beforeAll(async () => {
    t = await createTestApp(backend);
  }, 60_000);
  afterAll(async () => t?.close());

  const expectProblem = (res: request.Response, what: string): void => {
    seen += 1;
    if (res.status < 400 || res.status >= 500) throw new Error(`${what} → ${res.status} ${res.text.slice(0, 300)}`);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.text).not.toMatch(/\n\s+at |\/work\/|node_modules|SELECT |INSERT /);
    const body = res.body as { status: number; errors?: { path: unknown; message: unknown }[] };
    expect(body.status).toBe(res.status);
    if (res.status === 400) {
      expect(Array.isArray(body.errors) && body.errors.length > 0).toBe(true);
      for (const e of body.errors ?? []) {
        expect(typeof e.path).toBe('string');
        expect(typeof e.message).toBe('string');
      }
    }
  };

  const post = (path: string, auth: boolean): request.Test => {
    const req = request(t.app.getHttpServer()).post(path).set('content-type', 'application/json');
    return auth ? req.set('authorization', `Bearer ${TEST_ADMIN_KEY}`) : req;
  };

  it.each(JSON_ENDPOINTS)(
    'POST $path: broken structure and broken text are 4xx problems',
    async ({ path, auth, body }) => {
      await fc.assert(
        fc.asyncProperty(structural(body), async (broken) =>
          expectProblem(await post(path, auth).send(JSON.stringify(broken)), `${path} ${JSON.stringify(broken).slice(0, 200)}`),
        ),
        { numRuns: propertyRuns(600) },
      );
      await fc.assert(
        fc.asyncProperty(textual(body), async (text) => expectProblem(await post(path, auth).send(text), `${path} ${text.slice(0, 200)}`)),
        { numRuns: propertyRuns(400) },
      );
    },
    180_000,
  );

  it('POST /api/v1/match/batch: a broken profile is reported at its index, the others evaluated', async () => {
    await fc.assert(
      fc.asyncProperty(brokenProfile, async (profile) => {
        seen += 1;
        const res = await post('/api/v1/match/batch', true).send(JSON.stringify({ profiles: [VALID_PROFILE, profile], asOf: '2025-06-01' }));
        expect(res.status).toBe(200);
        expect(res.body.results[0].matches).toBeDefined();
        expect(res.body.results[1].errors.length).toBeGreaterThan(0);
        for (const e of res.body.results[1].errors) expect(e.path).toMatch(/^profiles\[1\]/);
      }),
      { numRuns: propertyRuns(300) },
    );
  }, 180_000);

  it('GET with broken query strings and ids are 4xx problems', async () => {
    const badQuery = fc.oneof(
      fc.constantFrom(
        'prototype=1',
        'constructor=x',
        'limit=0',
        'limit=501',
        'limit=abc',
        'offset=-1',
        'district=pudong',
        'status=valid',
        'supportType=cash',
        'asOf=2025-02-30',
        'sector=ai/none',
        'department=%00',
        'q=' + 'x'.repeat(201),
      ),
      fc
        .string({ minLength: 1, maxLength: 10 })
        .filter((k) => /^[a-z]+$/.test(k) && !['limit', 'offset', 'district', 'department', 'sector', 'supportType', 'status', 'asOf', 'q'].includes(k))
        .map((k) => `${k}=1`),
    );
    await fc.assert(
      fc.asyncProperty(badQuery, fc.constantFrom('/api/v1/measures', '/api/v1/departments/jingan-commission-of-commerce/measures'), async (q, path) =>
        expectProblem(await request(t.app.getHttpServer()).get(`${path}?${q}`), `${path}?${q}`),
      ),
      { numRuns: propertyRuns(400) },
    );
    const badId = fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent);
    await fc.assert(
      fc.asyncProperty(
        badId,
        fc.constantFrom('/api/v1/measures/', '/api/v1/documents/', '/api/v1/departments/', '/api/v1/evaluations/'),
        async (id, prefix) => {
          const res = await request(t.app.getHttpServer())
            .get(`${prefix}${id}${prefix.endsWith('departments/') ? '/measures' : ''}`)
            .set('authorization', `Bearer ${TEST_ADMIN_KEY}`);
          expectProblem(res, `${prefix}${id}`);
        },
      ),
      { numRuns: propertyRuns(400) },
    );
  }, 180_000);

  it('uploads with NUL bytes, formula cells and XLSX rows out of order: every prospect screened, no formula exported', async () => {
    const officer = await createOfficer(t.app, 'fuzz-uploads');
    const cell = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('=1+1', '+cmd', '-2+3', '@SUM(1)', '\t=1+1', '=HYPERLINK("http://x","y")'),
      fc.string({ maxLength: 6 }).map((s) => `${s}\u0000${s}`),
    );
    const rowOrder = fc.array(fc.integer({ min: 2, max: 12 }), { minLength: 1, maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(fc.array(cell, { minLength: 1, maxLength: 5 }), rowOrder, fc.boolean(), async (names, order, asXlsx) => {
        seen += 1;
        const rows = names.map((n) => [n, 'jingan']);
        const file = asXlsx ? await workbookWithRows(rows, order) : Buffer.from(toCsv([['企业名称', '所在区'], ...rows]));
        const count = asXlsx ? Math.min(rows.length, order.length) : rows.length;
        const res = await upload(t.app, officer.key, file, asXlsx ? 'f.xlsx' : 'f.csv', { districts: 'jingan' });
        if (res.status !== 202) throw new Error(`upload → ${res.status} ${res.text.slice(0, 300)}`);
        const done = await waitFor(t.app, officer.key, (res.body as { id: string }).id);
        expect(done).toMatchObject({ state: 'completed', rowsTotal: count, rowsScreened: count });
        const csv = ((await binary(request(t.app.getHttpServer()).get(`/api/v1/screenings/${done.id}/results.csv`).set(bearer(officer.key)))).body as Buffer)
          .toString('utf8')
          .replace(/^\uFEFF/, '');
        for (const record of parseCsv(csv, { relax_column_count: true }).slice(1))
          // eslint-disable-next-line no-control-regex -- no NUL may reach the export
          for (const c of record) expect(c).not.toMatch(/^[=+\-@\t\r]|\u0000/);
      }),
      { numRuns: propertyRuns(12) },
    );
  }, 180_000);

  it(`ran at least ${propertyRuns(5000)} cases, polluted no prototype, and still answers`, async () => {
    expect(seen).toBeGreaterThanOrEqual(propertyRuns(5000));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    await request(t.app.getHttpServer()).get('/api/v1/health').expect(200);
  });
});
