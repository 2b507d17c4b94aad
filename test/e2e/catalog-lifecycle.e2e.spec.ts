import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { bundleFromFiles, projectRoot, type PolicyBundle } from '@matcher/catalog';
import { aTestingLab } from '../factories/profile.factory';
import { backends, type Backend } from '../support/backends';
import { expectNoLeak, expectProblem, UUID } from '../support/http';
import { createTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { bearer, bootApp, createOfficer, upload, waitFor } from './screenings.helpers';

/**
 * The catalog lifecycle over HTTP on both databases: a bundle with a synthetic 2026 document (a test
 * fixture, test/fixtures/catalog-2026, not a real policy) is checked, diffed, impact-previewed, simulated,
 * published and rolled back; a bad bundle is refused with its findings; on PostgreSQL a second instance
 * on the same database follows every switch.
 */

jest.setTimeout(180_000);

const AS_OF = '2026-11-28';
const FIXTURE = join(projectRoot(), 'test', 'fixtures', 'catalog-2026');
const NEW_MEASURES = ['jingan-tf26-testing-certification', 'jingan-tf26-ai-talent-housing'];
const LAB = aTestingLab();
const AI = { location: { district: 'jingan' }, sectors: ['ai/models-algorithms'] };
const QINGPU = { location: { district: 'qingpu' }, sectors: ['digital/software'] };

const goodBundle = (): PolicyBundle => bundleFromFiles(FIXTURE, { description: '测试样例：2026年静安区两项措施 (test fixture)' });

/** The fixture with a quote not in the text and a case the rule fails. */
function badBundle(): PolicyBundle {
  const bundle = goodBundle();
  const doc = bundle.documents![0];
  doc.rules[0].event.params.source.quote = '由区商务委给予最高80万元资助。';
  doc.cases['jingan-tf26-ai-talent-housing'][1].expect = 'match';
  return bundle;
}

type MatchBody = { rulesetVersion: string; matches: { measureId: string; status: string; successors?: { measureId: string }[]; application?: unknown }[] };

async function match(
  app: INestApplication,
  profile: object,
  extra: object = {},
  headers: Record<string, string> = {},
): Promise<{ version: string; body: MatchBody }> {
  const res = expectNoLeak(
    await request(app.getHttpServer())
      .post('/api/v1/match')
      .set(headers)
      .send({ profile, asOf: AS_OF, ...extra }),
  );
  expect(res.status).toBe(200);
  const body = res.body as MatchBody;
  expect(res.headers['x-ruleset-version']).toBe(body.rulesetVersion);
  return { version: String(res.headers['x-ruleset-version']), body };
}

const inForce = (b: MatchBody): string[] => b.matches.filter((m) => m.status === 'in-force').map((m) => m.measureId);

async function eventually(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(backends())('catalog lifecycle on $name', (backend: Backend) => {
  let t: TestApp;
  let http: () => ReturnType<typeof request>;
  const admin = bearer(TEST_ADMIN_KEY);

  beforeAll(async () => {
    t = await createTestApp(backend);
    http = () => request(t.app.getHttpServer());
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses drafts to officers and the public', async () => {
    expectProblem(await http().post('/api/v1/catalog/drafts').send(goodBundle()), 401);
    const officer = await createOfficer(t.app, '普通招商员');
    expectProblem(await http().post('/api/v1/catalog/drafts').set(bearer(officer.key)).send(goodBundle()), 403);
    expectProblem(await http().get('/api/v1/catalog/versions').set(bearer(officer.key)), 403);
    expectProblem(await http().post('/api/v1/match').set(bearer(officer.key)).send({ profile: LAB, rulesetVersion: 'abc' }), 403);
  });

  it('refuses a malformed bundle with the path of each error', async () => {
    const res = await http()
      .post('/api/v1/catalog/drafts')
      .set(admin)
      .send({ format: 'policy-bundle/1', documents: [{ document: { id: 'Bad Id' } }] });
    expectProblem(res, 422, 'documents[0]', /rules/);
    expectProblem(res, 422, 'documents[0].document.id', /pattern/);
  });

  it('refuses a bundle with a wrong quote and a failing case, with both findings on their document and measure', async () => {
    const res = await http().post('/api/v1/catalog/drafts').set(admin).send(badBundle());
    expectProblem(res, 422, 'documents[0].rules[0]', /quote is not verbatim/);
    expectProblem(res, 422, 'documents[0].rules[1]', /expected match, the compiled matcher gives no-match/);
    const body = res.body as { draftId: string; findings: { documentId: string; measureId: string; message: string }[] };
    expect(body.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          documentId: 'jingan-test-fixture-2026',
          measureId: 'jingan-tf26-testing-certification',
          message: expect.stringMatching(/quote/),
        }),
        expect.objectContaining({
          documentId: 'jingan-test-fixture-2026',
          measureId: 'jingan-tf26-ai-talent-housing',
          message: expect.stringMatching(/case 2/),
        }),
      ]),
    );
    expect(body.draftId).toMatch(UUID);
    const stored = await http().get(`/api/v1/catalog/drafts/${body.draftId}`).set(admin);
    expect(stored.status).toBe(200);
    expect((stored.body as { findings: unknown[] }).findings).toHaveLength(body.findings.length);
    expectProblem(await http().post(`/api/v1/catalog/drafts/${body.draftId}/publish`).set(admin), 422, 'documents[0].rules[0]');
  });

  it('checks, diffs, previews, simulates, publishes and rolls back a good bundle', async () => {
    // A saved screening to preview the impact on: a lab and an AI company in Jing'an, a Qingpu firm.
    const officer = await createOfficer(t.app, '静安招商员');
    const ndjson = [LAB, AI, QINGPU].map((p) => JSON.stringify(p)).join('\n');
    const created = await upload(t.app, officer.key, ndjson, 'prospects.ndjson', { name: '三家企业', asOf: AS_OF });
    expect(created.status).toBe(202);
    await waitFor(t.app, officer.key, (created.body as { id: string }).id);

    const before = await match(t.app, LAB);
    const baseline = before.version;
    expect(inForce(before.body)).toEqual([]); // every Jing'an measure ended on 2025-12-31

    const res = expectNoLeak(await http().post('/api/v1/catalog/drafts').set(admin).send(goodBundle()));
    expect(res.status).toBe(201);
    const draft = res.body as {
      id: string;
      rulesetVersion: string;
      findings: unknown[];
      diff: { added: { measureId: string }[]; removed: unknown[]; changed: unknown[]; documents: { added: string[] }; summary: { zh: string; en: string } };
    };
    expect(draft.findings).toEqual([]);
    expect(draft.rulesetVersion).not.toBe(baseline);
    expect(draft.diff.added.map((a) => a.measureId)).toEqual(NEW_MEASURES);
    expect(draft.diff.removed).toEqual([]);
    expect(draft.diff.changed).toEqual([]);
    expect(draft.diff.documents.added).toEqual(['jingan-test-fixture-2026']);
    expect(draft.diff.summary.zh).toContain('新增 2 项措施');
    expect(draft.diff.summary.en).toContain('2 measures added');

    const impact = await http().get(`/api/v1/catalog/drafts/${draft.id}/impact`).set(admin);
    expect(impact.status).toBe(200);
    const screenings = (
      impact.body as { screenings: { screeningId: string; name?: string; prospects: number; prospectsAffected: number; gained: unknown[]; lost: unknown[] }[] }
    ).screenings;
    // Counts only: an officer's screening names and prospects are not the administrator's to read.
    expect(JSON.stringify(impact.body)).not.toContain('三家企业');
    const screening = screenings.find((s) => s.screeningId === (created.body as { id: string }).id)!;
    expect(screening).toMatchObject({ prospects: 3, prospectsAffected: 2, lost: [] });
    expect(screening.gained).toEqual([
      expect.objectContaining({ measureId: 'jingan-tf26-ai-talent-housing', prospects: 1 }),
      expect.objectContaining({ measureId: 'jingan-tf26-testing-certification', prospects: 1 }),
    ]);
    // The preview wrote nothing: the screening still has one run.
    const runs = await http()
      .get(`/api/v1/screenings/${(created.body as { id: string }).id}`)
      .set(bearer(officer.key));
    expect((runs.body as { runs: unknown[] }).runs).toHaveLength(1);

    // Simulation against the draft, for an admin only; the live answer is unchanged.
    const simulated = await match(t.app, LAB, { draft: draft.id }, admin);
    expect(simulated.version).toBe(draft.rulesetVersion);
    expect(inForce(simulated.body)).toEqual(['jingan-tf26-testing-certification']);
    expectProblem(await http().post('/api/v1/match').send({ profile: LAB, draft: draft.id }), 401);
    expect((await match(t.app, LAB)).version).toBe(baseline);

    const published = await http().post(`/api/v1/catalog/drafts/${draft.id}/publish`).set(admin);
    expect(published.status).toBe(200);
    expect(published.body).toEqual({ rulesetVersion: draft.rulesetVersion, previousVersion: baseline });

    const after = await match(t.app, LAB);
    expect(after.version).toBe(draft.rulesetVersion);
    expect(inForce(after.body)).toEqual(['jingan-tf26-testing-certification']);
    const granted = after.body.matches.find((m) => m.measureId === 'jingan-tf26-testing-certification')!;
    expect(granted.application).toMatchObject({ opens: '2026-03-01', amount: { max: 500000 }, channel: { kind: 'online' } });
    // The expired 2024 measure the lab matches points to its successor document's measures.
    const expired = after.body.matches.find((m) => m.status === 'expired' && m.measureId.startsWith('jingan-2024-'));
    expect(expired?.successors?.map((s) => s.measureId)).toEqual(NEW_MEASURES);
    expect(inForce((await match(t.app, AI)).body)).toEqual(['jingan-tf26-ai-talent-housing']);

    const catalog = await http().get(`/api/v1/measures?district=jingan&status=in-force&asOf=${AS_OF}`);
    expect(catalog.headers['x-ruleset-version']).toBe(draft.rulesetVersion);
    expect((catalog.body as { items: { id: string }[] }).items.map((m) => m.id)).toEqual(NEW_MEASURES);
    const doc = await http().get('/api/v1/documents/jingan-test-fixture-2026');
    expect(doc.status).toBe(200);
    expect((doc.body as { fullText: string }).fullText).toContain('TEST FIXTURE');

    const expiry = await http().get(`/api/v1/catalog/expiry?days=60&asOf=${AS_OF}`).set(bearer(officer.key));
    expect(expiry.status).toBe(200);
    const report = expiry.body as {
      expiring: { measureId: string }[];
      expiredWithoutSuccessor: { measureId: string; district: string }[];
      byDistrict: unknown[];
    };
    expect(report.expiring.map((m) => m.measureId)).toEqual([...NEW_MEASURES].sort()); // both end 2026-12-31; by id
    expect(report.expiredWithoutSuccessor.some((m) => m.measureId.startsWith('jingan-2024-'))).toBe(false);
    expect(report.expiredWithoutSuccessor.some((m) => m.district === 'xuhui')).toBe(true);

    const versions = await http().get('/api/v1/catalog/versions').set(admin);
    const list = versions.body as {
      live: string;
      items: { rulesetVersion: string; live: boolean; publishedBy: string }[];
      activations: { action: string; by: string }[];
    };
    expect(list.live).toBe(draft.rulesetVersion);
    expect(list.items.map((v) => [v.rulesetVersion, v.live])).toEqual([
      [draft.rulesetVersion, true],
      [baseline, false],
    ]);
    expect(list.activations[0]).toMatchObject({ action: 'publish' });
    expect(list.activations[0].by).toMatch(/\S/);

    // Roll back: the earlier answer again, from the same instance at once.
    const back = await http().post(`/api/v1/catalog/versions/${baseline}/activate`).set(admin);
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ rulesetVersion: baseline, previousVersion: draft.rulesetVersion, changed: true });
    const rolledBack = await match(t.app, LAB);
    expect(rolledBack.version).toBe(baseline);
    expect(rolledBack.body.matches.map((m) => m.measureId)).toEqual(before.body.matches.map((m) => m.measureId));
    expectProblem(await http().post('/api/v1/catalog/versions/nope/activate').set(admin), 404);
    expectProblem(await http().post(`/api/v1/catalog/drafts/${draft.id}/publish`).set(admin), 404);
  });
});

const postgres = backends().find((b) => b.name === 'postgres');
(postgres ? describe : describe.skip)('two instances on one PostgreSQL', () => {
  it('both switch on publish and on roll back', async () => {
    const url = await postgres!.create();
    const first = await bootApp({ databaseUrl: url, overrides: { RATE_LIMIT_PER_MINUTE: 0 } });
    const second = await bootApp({ databaseUrl: url, overrides: { RATE_LIMIT_PER_MINUTE: 0 } });
    try {
      const baseline = (await match(second, LAB)).version;
      expect((await match(first, LAB)).version).toBe(baseline);
      const created = await request(first.getHttpServer()).post('/api/v1/catalog/drafts').set(bearer(TEST_ADMIN_KEY)).send(goodBundle());
      expect(created.status).toBe(201);
      const { id, rulesetVersion } = created.body as { id: string; rulesetVersion: string };
      expect((await request(first.getHttpServer()).post(`/api/v1/catalog/drafts/${id}/publish`).set(bearer(TEST_ADMIN_KEY))).status).toBe(200);
      expect((await match(first, LAB)).version).toBe(rulesetVersion);
      await eventually(async () => (await match(second, LAB)).version === rulesetVersion);
      expect(inForce((await match(second, LAB)).body)).toEqual(['jingan-tf26-testing-certification']);

      // Rolled back through the second instance: the first follows.
      expect((await request(second.getHttpServer()).post(`/api/v1/catalog/versions/${baseline}/activate`).set(bearer(TEST_ADMIN_KEY))).status).toBe(200);
      await eventually(async () => (await match(first, LAB)).version === baseline);
      expect(inForce((await match(first, LAB)).body)).toEqual([]);

      // A restart imports nothing again and keeps what the admin made live.
      await first.close();
      const restarted = await bootApp({ databaseUrl: url, overrides: { RATE_LIMIT_PER_MINUTE: 0 } });
      try {
        expect((await match(restarted, LAB)).version).toBe(baseline);
        const versions = await request(restarted.getHttpServer()).get('/api/v1/catalog/versions').set(bearer(TEST_ADMIN_KEY));
        expect((versions.body as { items: unknown[] }).items).toHaveLength(2);
      } finally {
        await restarted.close();
      }
    } finally {
      await second.close().catch(() => undefined);
      await first.close().catch(() => undefined);
      await postgres!.drop(url);
    }
  });
});
