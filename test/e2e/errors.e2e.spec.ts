import request from 'supertest';
import { usccCheckCharacter } from '@matcher/catalog';
import { aTestingLab } from '../factories/profile.factory';
import { backends } from '../support/backends';
import { expectNoLeak, expectProblem } from '../support/http';
import { createTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

/**
 * Every rejection the API promises: 400 application/problem+json with field paths for bad bodies and
 * queries, 401/404 for the officer audit, 404 for unknown routes, 413 for oversized bodies — and never a
 * 5xx, a stack trace, SQL or a file path, whatever comes in.
 */

jest.setTimeout(20_000);

const PROFILE = aTestingLab();
const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const FIRST_17 = '91310106MA1FY0Q2K';
const VALID_USCC = `${FIRST_17}${usccCheckCharacter(FIRST_17)}`;
const WRONG_USCC = `${FIRST_17}${USCC_CHARSET.split('').find((c) => c !== VALID_USCC[17])}`;

describe.each(backends())('rejections on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(backend);
  }, 120_000);
  afterAll(async () => t?.close(), 60_000);

  const http = () => request(t.app.getHttpServer());
  const postMatch = (body: unknown) =>
    http()
      .post('/api/v1/match')
      .send(body as object);
  const postRaw = (path: string, raw: string, type = 'application/json') => http().post(path).set('Content-Type', type).send(raw);

  describe('POST /match bodies', () => {
    it.each([
      ['truncated', '{"profile": {"location": {"district": "jingan"}'],
      ['a bare word', '{"profile": x}'],
      ['a trailing comma', '{"profile": {"location": {"district": "jingan"},},}'],
      ['single quotes', "{'profile': {}}"],
      ['not JSON at all', 'profile=jingan'],
    ])('malformed JSON (%s) is a 400 problem', async (_what, raw) => {
      expectProblem(await postRaw('/api/v1/match', raw), 400);
      expectProblem(await postRaw('/api/v1/match/compare', raw), 400);
    });

    it.each([
      ['an empty object', {}, 'profile'],
      ['an array', [PROFILE], undefined],
      ['profile as a string', { profile: 'jingan' }, 'profile'],
      ['profile as an array', { profile: [PROFILE] }, 'profile'],
      ['profile null', { profile: null }, 'profile'],
      ['districts not an array', { profile: PROFILE, districts: 'xuhui' }, 'districts'],
      ['districts with an unknown district', { profile: PROFILE, districts: ['xuhui', 'pudong'] }, 'districts'],
      ['districts repeated', { profile: PROFILE, districts: ['xuhui', 'xuhui'] }, 'districts'],
      ['asOf 2025-02-30', { profile: PROFILE, asOf: '2025-02-30' }, 'asOf'],
      ['asOf not a date', { profile: PROFILE, asOf: '1 June 2025' }, 'asOf'],
      ['asOf a number', { profile: PROFILE, asOf: 20250601 }, 'asOf'],
      ['includeExpired "yes"', { profile: PROFILE, includeExpired: 'yes' }, 'includeExpired'],
      ['includeExpired 1', { profile: PROFILE, includeExpired: 1 }, 'includeExpired'],
      ['lang "fr"', { profile: PROFILE, lang: 'fr' }, 'lang'],
      ['an unknown top-level field', { profile: PROFILE, foo: 1 }, 'foo'],
    ])('%s is a 400 at its field path', async (_what, body, path) => {
      expectProblem(await postMatch(body), 400, path);
    });

    it('the same checks apply to /match/compare', async () => {
      expectProblem(await http().post('/api/v1/match/compare').send({ profile: 'x' }), 400, 'profile');
      expectProblem(await http().post('/api/v1/match/compare').send({ profile: PROFILE, asOf: '2025-02-30' }), 400, 'asOf');
      expectProblem(await http().post('/api/v1/match/compare').send({ profile: PROFILE, includeExpired: 'yes' }), 400, 'includeExpired');
      expectProblem(await http().post('/api/v1/match/compare').send({ profile: PROFILE, lang: 'fr' }), 400, 'lang');
      expectProblem(await http().post('/api/v1/match/compare').send({ profile: PROFILE, bar: true }), 400, 'bar');
      expectProblem(
        await http()
          .post('/api/v1/match/compare')
          .send({ profile: { ...PROFILE, sectors: ['ai', 'nope'] } }),
        400,
        'profile.sectors[1]',
      );
    });
  });

  describe('profile v1 checks', () => {
    it.each([
      ['an unknown profile field', { ...PROFILE, foo: 1 }, 'profile.foo', 'is not a field'],
      ['an unknown location field', { ...PROFILE, location: { district: 'jingan', street: '南京西路' } }, 'profile.location.street', undefined],
      ['an unknown metric', { ...PROFILE, metrics: { staff: 10 } }, 'profile.metrics.staff', undefined],
      ['no location', { sectors: ['ai'] }, 'profile.location', 'required'],
      ['no district', { location: {} }, 'profile.location.district', 'required'],
      ['an unknown district', { location: { district: 'pudong' } }, 'profile.location.district', 'xuhui'],
      ['a repeated sector', { ...PROFILE, sectors: ['ai', 'ai'] }, 'profile.sectors', undefined],
      ['sectors not a list', { ...PROFILE, sectors: 'ai' }, 'profile.sectors', undefined],
      [
        'too many sectors',
        {
          ...PROFILE,
          sectors: [
            'ai',
            'ai/robotics',
            'ai/applications',
            'ai/models-algorithms',
            'ai/intelligent-terminals',
            'digital',
            'digital/software',
            'digital/big-data',
            'digital/cloud-computing',
            'digital/blockchain',
            'ic',
            'ic/design',
            'ic/equipment',
            'ic/materials',
            'ic/eda',
            'finance',
            'finance/banking',
            'finance/securities',
            'finance/insurance',
            'finance/fintech',
            'sports',
          ],
        },
        'profile.sectors',
        undefined,
      ],
      ['a negative employee count', { ...PROFILE, metrics: { employees: -1 } }, 'profile.metrics.employees', undefined],
      ['employees as a string', { ...PROFILE, metrics: { employees: '100' } }, 'profile.metrics.employees', undefined],
      ['a fractional employee count', { ...PROFILE, metrics: { employees: 10.5 } }, 'profile.metrics.employees', undefined],
      ['an R&D ratio over 1', { ...PROFILE, metrics: { rdExpenseRatio: 1.5 } }, 'profile.metrics.rdExpenseRatio', undefined],
      ['a name over 200 characters', { ...PROFILE, name: '企'.repeat(201) }, 'profile.name', undefined],
      ['ownership as a list', { ...PROFILE, ownership: ['private'] }, 'profile.ownership', undefined],
    ])('%s is a 400 at its path', async (_what, profile, path, message) => {
      expectProblem(await postMatch({ profile }), 400, path, message);
    });

    it('an unknown code is a 400 at its index whose message names the allowed codes', async () => {
      const sectors = expectProblem(await postMatch({ profile: { ...PROFILE, sectors: ['ai', 'quantum-chips'] } }), 400, 'profile.sectors[1]');
      const message = sectors.find((e) => e.path === 'profile.sectors[1]')!.message;
      for (const code of ['ai/robotics', 'life-health/innovative-drugs', 'professional-services/testing-certification', 'fmcg'])
        expect(message).toContain(code);
      const roles = expectProblem(
        await postMatch({ profile: { ...PROFILE, roles: ['professional-service-institution', 'chain-leader', 'wizard'] } }),
        400,
        'profile.roles[2]',
      );
      expect(roles.find((e) => e.path === 'profile.roles[2]')!.message).toContain('chain-leader');
      const plans = expectProblem(await postMatch({ profile: { ...PROFILE, plans: ['world-domination'] } }), 400, 'profile.plans[0]');
      expect(plans.find((e) => e.path === 'profile.plans[0]')!.message).toContain('international-standards');
      expectProblem(await postMatch({ profile: { ...PROFILE, size: 'huge' } }), 400, 'profile.size', 'micro');
      expectProblem(
        await postMatch({ profile: { location: { district: 'jingan', area: 'jingan/nowhere' } } }),
        400,
        'profile.location.area',
        'jingan/suhe-bay',
      );
    });

    it('reports every bad field at once', async () => {
      const errors = expectProblem(await postMatch({ profile: { location: { district: 'jingan' }, sectors: ['nope'], roles: ['nobody'], size: 'huge' } }), 400);
      expect(errors.map((e) => e.path)).toEqual(expect.arrayContaining(['profile.sectors[0]', 'profile.roles[0]', 'profile.size']));
    });

    it('reports the errors of the body and of its profile together, in one problem', async () => {
      const body = { profile: { location: { district: 'mars' }, sectors: ['nope'] }, lang: 'fr', asOf: '2025-02-30', districts: ['pudong'], foo: 1 };
      for (const path of ['/api/v1/match', '/api/v1/match/compare']) {
        const res = await http()
          .post(path)
          .send(path.endsWith('compare') ? { ...body, districts: undefined } : body);
        const errors = expectProblem(res, 400);
        const expected = ['lang', 'asOf', 'foo', 'profile.location.district', 'profile.sectors[0]'];
        expect(errors.map((e) => e.path)).toEqual(expect.arrayContaining(path.endsWith('compare') ? expected : [...expected, 'districts']));
        expect(res.body).toMatchObject({ detail: 'The request is not valid; see errors for each field.' });
      }
      // A profile's errors alone are the profile's.
      expect((await postMatch({ profile: { location: {} } }).expect(400)).body).toMatchObject({
        detail: 'The company profile is not valid; see errors for each field.',
        errors: [{ path: 'profile.location.district', message: 'is required' }],
      });
    });

    it('an area of another district is a 400 at profile.location.area', async () => {
      expectProblem(await postMatch({ profile: { location: { district: 'jingan', area: 'xuhui/west-bund' } } }), 400, 'profile.location.area', 'jingan');
      expectProblem(await postMatch({ profile: { location: { district: 'outside-shanghai', area: 'qingpu/new-town' } } }), 400, 'profile.location.area');
      // In its own district the same area is fine.
      expectNoLeak(await postMatch({ profile: { location: { district: 'xuhui', area: 'xuhui/west-bund' } }, asOf: '2025-06-01' }).expect(200));
    });

    it('checks the USCC check character (GB 32100-2015)', async () => {
      expect(VALID_USCC).toHaveLength(18);
      expectNoLeak(await postMatch({ profile: { ...PROFILE, uscc: VALID_USCC }, asOf: '2025-06-01' }).expect(200));
      expect(WRONG_USCC).not.toBe(VALID_USCC);
      expectProblem(await postMatch({ profile: { ...PROFILE, uscc: WRONG_USCC } }), 400, 'profile.uscc', /check character/);
      expectProblem(await postMatch({ profile: { ...PROFILE, uscc: VALID_USCC.toLowerCase() } }), 400, 'profile.uscc');
      expectProblem(await postMatch({ profile: { ...PROFILE, uscc: VALID_USCC.slice(0, 17) } }), 400, 'profile.uscc');
      expectProblem(await postMatch({ profile: { ...PROFILE, uscc: `${VALID_USCC.slice(0, 2)}I${VALID_USCC.slice(3)}` } }), 400, 'profile.uscc');
    });

    it('accepts every optional field of profile v1 at once (the schema accepts it, so must the API)', async () => {
      const full = {
        name: '上海某检测认证有限公司 🧪',
        uscc: VALID_USCC,
        location: { district: 'jingan', area: 'jingan/shibei' },
        sectors: ['professional-services/testing-certification', 'life-health'],
        headquarters: ['innovation'],
        headquartersRecognition: 'district',
        qualifications: ['high-tech-enterprise'],
        roles: ['professional-service-institution'],
        ownership: 'private',
        size: 'small',
        listing: 'unlisted',
        plans: ['international-standards'],
        talent: ['returnee'],
        metrics: { employees: 0, annualRevenueWan: 1234.5, annualTaxWan: 0, rdExpenseRatio: 1, foundedYear: 1800, inventionPatents: 3, pctApplications: 0 },
      };
      const res = expectNoLeak(
        await postMatch({ profile: full, asOf: '2025-06-01', districts: ['jingan', 'xuhui', 'qingpu'], includeExpired: false, lang: 'en' }).expect(200),
      );
      expect(res.body.matches.length).toBeGreaterThan(0);
    });
  });

  describe('size, routes and media types', () => {
    it('a body over 1 MB is a 413 problem', async () => {
      const big = JSON.stringify({ profile: { ...PROFILE, name: 'x' }, padding: 'x'.repeat(1_100_000) });
      expectProblem(await postRaw('/api/v1/match', big), 413);
      expectProblem(await postRaw('/api/v1/match/compare', big), 413);
      // Just under the limit is read (and then rejected for what it says, not for its size).
      const under = JSON.stringify({ profile: PROFILE, padding: 'x'.repeat(900_000) });
      expectProblem(await postRaw('/api/v1/match', under), 400, 'padding');
    });

    it('an unknown API route is a 404 problem', async () => {
      for (const res of [
        await http().get('/api/v1/nope'),
        await http().post('/api/v1/nope').send({}),
        await http().get('/api/v1/match'),
        await http().put('/api/v1/match').send({ profile: PROFILE }),
        await http().delete('/api/v1/measures/jingan-2024-professional-services-quality'),
        await http().get('/api/v1/departments/jingan-bureau-of-justice'),
        await http().get('/api/v1/evaluations'),
      ]) {
        expectProblem(res, 404);
      }
      // Outside the API prefix (the web app's ground) whatever answers must still be no crash and leak nothing.
      for (const res of [await http().get('/api/v2/measures'), await http().get('/%E0%A4%A'), await http().get('/docs/%E0%A4%A')]) expectNoLeak(res);
    });

    it('a body that is not JSON is refused, never a crash', async () => {
      for (const res of [
        await postRaw('/api/v1/match', 'profile=jingan', 'application/x-www-form-urlencoded'),
        await postRaw('/api/v1/match', JSON.stringify({ profile: PROFILE }), 'text/plain'),
        await http().post('/api/v1/match'),
        await postRaw('/api/v1/match', ''),
        await postRaw('/api/v1/match', 'null'),
        await postRaw('/api/v1/match', '"jingan"'),
        await postRaw('/api/v1/match', '42'),
        await postRaw('/api/v1/match', '{"profile":' + '['.repeat(5000) + ']'.repeat(5000) + '}'),
        await postRaw('/api/v1/match', JSON.stringify({ profile: PROFILE }), 'application/json; charset=klingon'),
      ]) {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expectProblem(res, res.status);
      }
    });

    it('prototype-polluting keys are refused', async () => {
      expectProblem(await postRaw('/api/v1/match', '{"profile": {"location": {"district": "jingan"}, "__proto__": {"admin": true}}}'), 400);
      expectProblem(await postRaw('/api/v1/match', '{"profile": {"location": {"district": "jingan"}}, "__proto__": {"admin": true}}'), 400);
      expectProblem(await postRaw('/api/v1/match', '{"profile": {"location": {"district": "jingan"}, "constructor": {"prototype": {"admin": true}}}}'), 400);
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    });
  });

  describe('bad queries', () => {
    it.each([
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=1.5', 'limit'],
      ['offset=-1', 'offset'],
      ['foo=1', 'foo'],
      ['district=pudong', 'district'],
      ['district=xuhui&district=jingan', 'district'],
      ['status=valid', 'status'],
      ['status=in-force&asOf=2025-02-30', 'asOf'],
      ['asOf=tomorrow', 'asOf'],
      ['supportType=money', 'supportType'],
      ['sector=quantum-chips', 'sector'],
      ['sector=LIFE-HEALTH', 'sector'],
      ['department=Bad%20Id', 'department'],
      [`q=${'x'.repeat(201)}`, 'q'],
    ])('GET /measures?%s is a 400 at %s', async (query, path) => {
      expectProblem(await http().get(`/api/v1/measures?${query}`), 400, path);
    });

    it('the department listing validates its query the same way', async () => {
      expectProblem(await http().get('/api/v1/departments/jingan-bureau-of-justice/measures?limit=0'), 400, 'limit');
      expectProblem(await http().get('/api/v1/departments/jingan-bureau-of-justice/measures?foo=1'), 400, 'foo');
      expectProblem(await http().get('/api/v1/departments/no-such-department/measures'), 404);
    });

    it('a measure asked for with a bad date is a 400; bad ids are 404s', async () => {
      expectProblem(await http().get('/api/v1/measures/jingan-2024-professional-services-quality?asOf=2025-13-01'), 400, 'asOf');
      expectProblem(await http().get('/api/v1/measures/%E0%A4%A'), 400);
      expectProblem(await http().get(`/api/v1/measures/${encodeURIComponent("x' OR '1'='1")}`), 404);
      expectProblem(await http().get(`/api/v1/documents/${encodeURIComponent('../../package')}`), 404);
      expectProblem(await http().get('/api/v1/documents/..%2F..%2Fpackage.json'), 404);
    });
  });

  describe('GET /evaluations/:id (officers)', () => {
    let evaluationId: string;
    beforeAll(async () => {
      // Made under the key: an officer reads back only their own evaluations.
      evaluationId = (await postMatch({ profile: PROFILE, asOf: '2025-06-01' }).set('X-API-Key', TEST_ADMIN_KEY).expect(200)).body.evaluationId;
    });

    it('is 401 without a key, and with a wrong one', async () => {
      expectProblem(await http().get(`/api/v1/evaluations/${evaluationId}`), 401);
      expectProblem(await http().get(`/api/v1/evaluations/${evaluationId}`).set('Authorization', `Bearer ${TEST_ADMIN_KEY}x`), 401);
      expectProblem(await http().get(`/api/v1/evaluations/${evaluationId}`).set('Authorization', 'Bearer '), 401);
      expectProblem(
        await http()
          .get(`/api/v1/evaluations/${evaluationId}`)
          .set('Authorization', `Basic ${Buffer.from(`admin:${TEST_ADMIN_KEY}`).toString('base64')}`),
        401,
      );
      expectProblem(await http().get(`/api/v1/evaluations/${evaluationId}`).set('X-API-Key', 'wrong-key-0123456789abcdefghij'), 401);
      expectProblem(await http().get(`/api/v1/evaluations/${evaluationId}`).set('X-API-Key', TEST_ADMIN_KEY.slice(0, -1)), 401);
      // The guard answers before the id is even looked at.
      expectProblem(await http().get('/api/v1/evaluations/not-a-uuid'), 401);
    });

    it('is 200 with the key as a bearer token or as X-API-Key, right after the match', async () => {
      const bearer = expectNoLeak(await http().get(`/api/v1/evaluations/${evaluationId}`).set('Authorization', `Bearer ${TEST_ADMIN_KEY}`).expect(200));
      expect(bearer.body).toMatchObject({ id: evaluationId, kind: 'match', request: { profile: PROFILE, asOf: '2025-06-01' } });
      const header = expectNoLeak(await http().get(`/api/v1/evaluations/${evaluationId}`).set('X-API-Key', TEST_ADMIN_KEY).expect(200));
      expect(header.body).toEqual(bearer.body);
    });

    it('is 404 for an unknown id and 400 for one that is not a UUID', async () => {
      expectProblem(await http().get('/api/v1/evaluations/00000000-0000-4000-8000-000000000000').set('X-API-Key', TEST_ADMIN_KEY), 404);
      expectProblem(await http().get('/api/v1/evaluations/not-a-uuid').set('X-API-Key', TEST_ADMIN_KEY), 400, 'id');
      expectProblem(await http().get(`/api/v1/evaluations/${evaluationId}x`).set('Authorization', `Bearer ${TEST_ADMIN_KEY}`), 400, 'id');
    });
  });

  describe('under load', () => {
    it('answers a burst of concurrent requests of every kind without a server error', async () => {
      const evaluationId = (await postMatch({ profile: PROFILE, asOf: '2025-06-01' }).set('X-API-Key', TEST_ADMIN_KEY).expect(200)).body.evaluationId as string;
      const requests = Array.from({ length: 48 }, (_, i) => {
        switch (i % 8) {
          case 0:
            return http().get('/api/v1/measures?limit=100&district=xuhui');
          case 1:
            return http().get('/api/v1/departments');
          case 2:
            return http().get('/api/v1/documents/jingan-modern-industry-measures-2024');
          case 3:
            return postMatch({ profile: PROFILE, asOf: '2025-06-01' });
          case 4:
            return http().post('/api/v1/match/compare').send({ profile: PROFILE, asOf: '2025-06-01' });
          case 5:
            return http().get(`/api/v1/evaluations/${evaluationId}`).set('X-API-Key', TEST_ADMIN_KEY);
          case 6:
            return http().get('/api/v1/measures/jingan-2024-professional-services-quality?asOf=2025-06-01');
          default:
            return http().get('/api/v1/health/ready');
        }
      });
      const responses = await Promise.all(requests);
      for (const res of responses) {
        expectNoLeak(res);
        expect(res.status).toBe(200);
      }
    }, 60_000);
  });
});
