import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import request from 'supertest';
import { DISTRICTS, loadCatalog } from '@matcher/catalog';
import type { MatchResponse } from '@matcher/contracts';
import { generateRequestBodies } from '../../scripts/bench/profiles';
import { backends } from '../support/backends';
import { expectNoLeak } from '../support/http';
import { createTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

/**
 * The answer a company can trust, on the real catalog, over HTTP: measures and priorities apart, near
 * misses it can act on, ranked and limited, questions only for measures in force, a summary that leads
 * with the truth as of the date, and small, compressed responses. These are invariants: they hold
 * whichever entries the catalog review makes priorities. Dates are pinned (asOf, or the clock).
 */

jest.setTimeout(30_000);

const catalog = loadCatalog();
const kindOf = new Map(catalog.measures.map((m) => [m.id, m.kind]));
const TODAY = '2026-11-28';
const MID_2025 = '2025-06-01';
const UNCHANGEABLE = new Set(['sectors', 'roles', 'ownership', 'size', 'location.district']);
const CHANGEABLE = /^(plans|qualifications|talent|headquarters|headquartersRecognition|listing|location\.area|metrics(\..+)?)$/;
const STATUS_RANK: Record<string, number> = { 'in-force': 0, 'term-unknown': 1, 'not-yet-in-force': 2, expired: 3 };

/** The company: an AI large-model firm in Jing'an, high-tech and 专精特新, planning an R&D centre. */
const AI_FIRM = {
  location: { district: 'jingan' },
  sectors: ['ai/models-algorithms'],
  qualifications: ['high-tech-enterprise', 'srdi-sme'],
  plans: ['set-up-rd-center'],
};

interface Status {
  measureId: string;
  district: string;
  status: string;
  scenario: string;
  specificity: string;
  validTo: string | null;
}
interface Near extends Status {
  reason: string;
  factsUsed: number;
  missing: { fact: string }[];
  failed: { fact: string }[];
  anyOf?: { zh: string; en: string; text: string }[];
}
interface Answer {
  asOf: string;
  districts: string[];
  matches: Status[];
  priorities: (Status & { section: string; quote: string; names: { fact: string }[] })[];
  nearMisses: Near[];
  nearMissesTotal: number;
  questions: { fact: string; measureIds: string[] }[];
  summary: MatchResponse['summary'];
}

/** What every answer must satisfy, whatever the profile. */
function checkInvariants(a: Answer, limit = 10): void {
  for (const m of a.matches) expect(kindOf.get(m.measureId)).toBe('measure');
  for (const p of a.priorities) expect(kindOf.get(p.measureId)).toBe('priority');
  // The company's own district first.
  const scenarios = a.matches.map((m) => (m.scenario === 'current-location' ? 0 : 1));
  expect(scenarios).toEqual([...scenarios].sort((x, y) => x - y));
  // Then in force first, within each scenario.
  for (const scenario of ['current-location', 'relocation']) {
    const ranks = a.matches.filter((m) => m.scenario === scenario).map((m) => STATUS_RANK[m.status]);
    expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
  }
  expect(a.nearMisses.length).toBeLessThanOrEqual(limit);
  expect(a.nearMissesTotal).toBeGreaterThanOrEqual(a.nearMisses.length);
  if (a.nearMissesTotal <= limit) expect(a.nearMisses).toHaveLength(a.nearMissesTotal);
  expect(a.summary.nearMisses.total).toBe(a.nearMissesTotal);
  expect(a.summary.nearMisses.needsInfo + a.summary.nearMisses.oneChange).toBe(a.nearMissesTotal);
  for (const n of a.nearMisses) {
    expect(kindOf.get(n.measureId)).toBe('measure');
    if (n.reason === 'needs-info') {
      expect(n.missing.length).toBeGreaterThan(0);
      expect(n.failed).toEqual([]);
    } else {
      expect(n.reason).toBe('one-change');
      expect(n.missing).toEqual([]);
      expect(n.failed.length).toBeGreaterThan(0);
      for (const f of n.failed) {
        expect(UNCHANGEABLE.has(f.fact)).toBe(false);
        expect(f.fact).toMatch(CHANGEABLE);
      }
    }
    // Alternatives are worded as such, in the language asked for.
    for (const a of n.anyOf ?? []) expect(a.zh).toMatch(/^满足其一：.+ 或 .+$/);
  }
  const c = a.summary.matches;
  expect(c.total).toBe(a.matches.length);
  for (const [key, status] of [
    ['inForce', 'in-force'],
    ['termUnknown', 'term-unknown'],
    ['notYetInForce', 'not-yet-in-force'],
    ['expired', 'expired'],
  ] as const)
    expect(c[key]).toBe(a.matches.filter((m) => m.status === status).length);
  expect(a.summary.targeted + a.summary.general).toBe(c.total);
  expect(a.summary.priorities).toBe(a.priorities.length);
  // Questions only for measures in force (or of unstated term) as of the date.
  const catalogStatus = (id: string): string => {
    const v = catalog.measures.find((m) => m.id === id)!.validity;
    if (!v.validFrom && !v.validTo) return 'term-unknown';
    if (v.validFrom && a.asOf < v.validFrom) return 'not-yet-in-force';
    return v.validTo && a.asOf > v.validTo ? 'expired' : 'in-force';
  };
  for (const q of a.questions) for (const id of q.measureIds) expect(['in-force', 'term-unknown']).toContain(catalogStatus(id));
}

describe.each(backends())('the answer on $name', (backend) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(backend);
  }, 120_000);

  afterAll(async () => {
    jest.useRealTimers();
    await t?.close();
  }, 60_000);

  const http = () => request(t.app.getHttpServer());

  async function match(body: Record<string, unknown>): Promise<Answer> {
    const res = expectNoLeak(await http().post('/api/v1/match').send(body));
    if (res.status !== 200) throw new Error(`POST /match → ${res.status} ${res.text.slice(0, 400)}`);
    return res.body as Answer;
  }

  describe('near misses a company can act on', () => {
    it('a thin profile in each district gets at most 10, none failing on sector, role, ownership or size', async () => {
      for (const district of [...DISTRICTS, 'other-shanghai']) {
        const a = await match({ profile: { location: { district } }, asOf: MID_2025 });
        checkInvariants(a);
        expect(a.nearMisses.length).toBeLessThanOrEqual(10);
        expect(a.nearMissesTotal).toBeGreaterThan(0);
        for (const n of a.nearMisses) for (const f of n.failed) expect(['sectors', 'roles', 'ownership', 'size']).not.toContain(f.fact);
      }
    });

    it('nearMissesTotal is the full count: nearMissLimit 100 returns them all, the default 10 is their head', async () => {
      const profile = { location: { district: 'xuhui' }, sectors: ['ai'] };
      const all = await match({ profile, asOf: MID_2025, nearMissLimit: 100 });
      const head = await match({ profile, asOf: MID_2025 });
      expect(all.nearMissesTotal).toBeGreaterThan(10);
      expect(all.nearMissesTotal).toBeLessThanOrEqual(100);
      expect(all.nearMisses).toHaveLength(all.nearMissesTotal);
      expect(head.nearMissesTotal).toBe(all.nearMissesTotal);
      expect(head.nearMisses.map((n) => n.measureId)).toEqual(all.nearMisses.slice(0, 10).map((n) => n.measureId));
      expect((await match({ profile, asOf: MID_2025, nearMissLimit: 0 })).nearMisses).toEqual([]);
      checkInvariants(all, 100);
    });

    it("the issue's AI firm: no near miss fails on a sector it is not in, nor on the district it is in", async () => {
      const a = await match({ profile: AI_FIRM, asOf: TODAY, nearMissLimit: 100 });
      checkInvariants(a, 100);
      for (const n of a.nearMisses) for (const f of n.failed) expect(f.fact).not.toBe('sectors');
      // Several districts: Jing'an (where it is) first, near misses in relocation never fail on the district.
      const several = await match({ profile: AI_FIRM, districts: ['qingpu', 'jingan', 'xuhui'], asOf: TODAY, nearMissLimit: 100 });
      checkInvariants(several, 100);
      expect(several.matches[0].scenario).toBe('current-location');
    });

    it('generated profiles all keep the contract', async () => {
      for (const body of generateRequestBodies(40, 11)) checkInvariants(await match({ ...body, asOf: MID_2025 }));
    });

    it('nearMissLimit outside 0–100 or not an integer is a 400 problem naming the field', async () => {
      for (const nearMissLimit of [-1, 101, 2.5, '5', null]) {
        const res = expectNoLeak(await http().post('/api/v1/match').send({ profile: AI_FIRM, nearMissLimit }));
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('nearMissLimit');
      }
    });
  });

  describe('summary: the truth as of the date', () => {
    it('as of 2025-06-01 the Jing’an measures are in force', async () => {
      const a = await match({ profile: AI_FIRM, asOf: MID_2025 });
      checkInvariants(a);
      expect(a.summary.matches.total).toBeGreaterThan(0);
      expect(a.summary.matches.inForce).toBe(a.summary.matches.total);
      expect(a.summary.lastInForce).toBe('2025-12-31');
      expect(a.summary.headline.zh).toMatch(/^截至2025年6月1日，匹配到的\d+项措施均有效（有效期至2025年12月31日）。/);
      expect(a.summary.headline.en).toMatch(/^As of 1 June 2025, all \d+ matched measures are in force \(until 31 December 2025\)\./);
      expect(a.questions.length).toBeGreaterThan(0);
    });

    describe('today (the clock pinned to 2026-11-28 in Shanghai, no asOf sent)', () => {
      beforeAll(() => {
        // Only Date is faked: the server's timers and sockets keep running.
        jest.useFakeTimers({
          now: new Date('2026-11-28T04:00:00Z'),
          doNotFake: [
            'nextTick',
            'setImmediate',
            'clearImmediate',
            'setTimeout',
            'clearTimeout',
            'setInterval',
            'clearInterval',
            'queueMicrotask',
            'hrtime',
            'performance',
          ],
        });
      });
      afterAll(() => jest.useRealTimers());

      it('every Jing’an match has expired on 2025-12-31, and no question is asked for expired measures', async () => {
        const a = await match({ profile: AI_FIRM });
        expect(a.asOf).toBe(TODAY);
        checkInvariants(a);
        const c = a.summary.matches;
        expect(c.total).toBeGreaterThan(0);
        expect(c).toEqual({ total: c.total, inForce: 0, termUnknown: 0, notYetInForce: 0, expired: c.total });
        expect(a.summary.lastInForce).toBe('2025-12-31');
        expect(a.summary.headline.zh).toContain(`截至2026年11月28日，匹配到的${c.total}项措施均已于2025年12月31日到期`);
        expect(a.questions).toEqual([]);
        expect(a.summary.questionsNote?.zh).toContain('已到期');
      });

      it('with Qingpu too: Qingpu’s measures state no term, and the headline says to confirm with the department', async () => {
        const a = await match({ profile: AI_FIRM, districts: ['jingan', 'qingpu'] });
        checkInvariants(a);
        const qingpu = a.matches.filter((m) => m.district === 'qingpu');
        expect(qingpu.length).toBeGreaterThan(0);
        expect(qingpu.every((m) => m.status === 'term-unknown')).toBe(true);
        expect(a.summary.matches.termUnknown).toBe(qingpu.length);
        expect(a.summary.headline.zh).toContain(`青浦区${qingpu.length}项措施未载明期限，请向责任部门确认`);
        // The company's own district leads, even though none of its measures is in force.
        expect(a.matches[0].district).toBe('jingan');
        for (const q of a.questions) for (const id of q.measureIds) expect(id.startsWith('qingpu-')).toBe(true);
      });

      it('hiding expired measures hides their counts, near misses and questions alike', async () => {
        const a = await match({ profile: AI_FIRM, districts: ['jingan', 'qingpu'], includeExpired: false, nearMissLimit: 100 });
        checkInvariants(a, 100);
        expect(a.matches.every((m) => m.status !== 'expired')).toBe(true);
        expect(a.nearMisses.every((n) => n.status !== 'expired')).toBe(true);
        expect(a.summary.matches.expired).toBe(0);
        expect(a.summary.matches.total).toBe(a.matches.length);
        expect(a.summary.headline.zh).not.toContain('到期');
      });
    });
  });

  describe('priorities stand apart', () => {
    it('each names what of the profile it names, with section and quote', async () => {
      const a = await match({ profile: { ...AI_FIRM, districts: undefined }, districts: [...DISTRICTS], asOf: MID_2025 });
      checkInvariants(a);
      for (const p of a.priorities) {
        expect(p.section.length).toBeGreaterThan(0);
        expect(p.quote.length).toBeGreaterThan(0);
        expect(p.names.length).toBeGreaterThan(0);
      }
    });
  });

  describe('batch and size', () => {
    it('/match/batch keeps the same rules: measures only, at most nearMissLimit near misses, the total', async () => {
      const res = expectNoLeak(
        await http()
          .post('/api/v1/match/batch')
          .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`)
          .send({ profiles: [{ location: { district: 'jingan' } }, AI_FIRM], asOf: MID_2025, nearMissLimit: 3 })
          .expect(200),
      );
      for (const r of res.body.results) {
        expect(r.nearMisses.length).toBeLessThanOrEqual(3);
        expect(r.nearMissesTotal).toBeGreaterThanOrEqual(r.nearMisses.length);
        for (const m of r.matches) expect(kindOf.get(m.measureId)).toBe('measure');
        for (const n of r.nearMisses) for (const f of n.failed) expect(UNCHANGEABLE.has(f.fact)).toBe(false);
        expect(r.summary.headline.zh).toMatch(/^截至2025年6月1日/);
      }
      const bad = await http()
        .post('/api/v1/match/batch?nearMissLimit=500')
        .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`)
        .set('Content-Type', 'application/x-ndjson')
        .send('{"location":{"district":"jingan"}}\n');
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].path).toBe('nearMissLimit');
    });

    it('a /match body is lean: near misses without prose, matches with v1 and nothing the catalog repeats', async () => {
      const sizes: number[] = [];
      for (const body of generateRequestBodies(60, 7)) {
        const res = await http().post('/api/v1/match').set('Accept-Encoding', 'identity').send(body).expect(200);
        sizes.push(Buffer.byteLength(res.text));
        const a = res.body as Answer & { matches: Record<string, unknown>[]; nearMisses: Record<string, unknown>[] };
        for (const m of a.matches) {
          expect(m).not.toHaveProperty('summary');
          expect(Object.keys(m.source as object).sort()).toEqual(['documentId', 'documentTitle', 'issuedOn', 'issuer', 'quote', 'section']);
          for (const d of m.departments as object[]) expect(Object.keys(d).sort()).toEqual(['name', 'nameEn', 'source']);
        }
        for (const n of a.nearMisses) for (const key of ['source', 'explanation', 'departments', 'summary']) expect(n).not.toHaveProperty(key);
        // Near misses are at most ten, whatever the profile: the part of the answer that grew without bound. Each
        // carries its conditions' words of the text (basis) and its alternatives in words (anyOf): about 15 KiB at most.
        expect(Buffer.byteLength(JSON.stringify(a.nearMisses))).toBeLessThan(20 * 1024);
      }
      sizes.sort((a, b) => a - b);
      // The issue measured a 144 KiB median; the target of 24 KiB needs the catalog review's priorities (see README).
      expect(sizes[Math.floor(sizes.length / 2)]).toBeLessThan(48 * 1024);
    });
  });

  describe('compression is negotiated', () => {
    /** The bytes on the wire: node's http client does not decode, unlike supertest. */
    async function wire(
      method: string,
      path: string,
      headers: Record<string, string>,
      body?: unknown,
    ): Promise<{ headers: IncomingHttpHeaders; bytes: Buffer }> {
      const server = t.app.getHttpServer() as Server;
      if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const payload = body === undefined ? undefined : JSON.stringify(body);
      return new Promise((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port, method, path, headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ headers: res.headers, bytes: Buffer.concat(chunks) }));
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    }

    it('JSON in gzip or br as the client accepts, identity otherwise', async () => {
      const body = { profile: { location: { district: 'other-shanghai' } }, asOf: MID_2025 };
      const plain = await wire('POST', '/api/v1/match', { 'accept-encoding': 'identity' }, body);
      expect(plain.headers['content-encoding']).toBeUndefined();
      const answer = JSON.parse(plain.bytes.toString('utf8')) as Answer;
      const gz = await wire('POST', '/api/v1/match', { 'accept-encoding': 'gzip' }, body);
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gz.headers.vary).toMatch(/Accept-Encoding/i);
      expect((JSON.parse(gunzipSync(gz.bytes).toString('utf8')) as Answer).summary).toEqual(answer.summary);
      const br = await wire('POST', '/api/v1/match', { 'accept-encoding': 'gzip, deflate, br' }, body);
      expect(br.headers['content-encoding']).toBe('br');
      expect((JSON.parse(brotliDecompressSync(br.bytes).toString('utf8')) as Answer).matches.map((m) => m.measureId)).toEqual(
        answer.matches.map((m) => m.measureId),
      );
      expect(br.bytes.length).toBeLessThan(plain.bytes.length / 3);
    });

    it('static assets too (the API documentation page’s script)', async () => {
      const br = await wire('GET', '/docs/swagger-ui-bundle.js', { 'accept-encoding': 'br' });
      expect(br.headers['content-encoding']).toBe('br');
      const gz = await wire('GET', '/docs/swagger-ui-bundle.js', { 'accept-encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.bytes).length).toBeGreaterThan(gz.bytes.length);
    });
  });
});
