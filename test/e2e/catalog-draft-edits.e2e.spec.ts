import request from 'supertest';
import { BUNDLE_FORMAT, loadCatalogContent } from '@matcher/catalog';
import { aTestingLab } from '../factories/profile.factory';
import { backends } from '../support/backends';
import { expectNoLeak, expectProblem } from '../support/http';
import { createTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { bearer } from './screenings.helpers';

/**
 * Drafts edited in place over HTTP: started from the live version with no file, a document's term
 * changed in one action, concurrent edits kept apart by If-Match, findings placed on their field, and two
 * drafts of one base published one after the other without losing either.
 */

jest.setTimeout(180_000);

const JINGAN = 'jingan-modern-industry-measures-2024';
const PLAN = 'xuhui-sci-tech-innovation-14th-five-year-plan';
const AS_OF = '2026-11-28';
const base = loadCatalogContent();
const jinganMeasures = base.rules[JINGAN].map((r) => r.name);

type View = {
  id: string;
  revision: number;
  rulesetVersion: string;
  basedOnLive: boolean;
  findings: { path: string; documentId: string | null; measureId: string | null; field?: string; message: string }[];
  diff: { changed: { measureId: string }[]; documents: { changed: string[] } };
  documentList: { id: string; term: string; validity: { validTo: string | null }; withdrawn: boolean }[];
  edits: { revision: number; action: string; target: string; by: string; summary: { zh: string; en: string } }[];
};

describe('drafts edited in place', () => {
  let t: TestApp;
  const http = (): ReturnType<typeof request> => request(t.app.getHttpServer());
  let admins: { key: string; name: string }[];

  beforeAll(async () => {
    t = await createTestApp(backends()[0]);
    admins = [];
    for (const name of ['政策管理员甲', '政策管理员乙']) {
      const res = await http().post('/api/v1/officers').set(bearer(TEST_ADMIN_KEY)).send({ name, role: 'admin' });
      expect(res.status).toBe(201);
      admins.push({ key: (res.body as { key: string }).key, name });
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  async function startDraft(key: string, description: string): Promise<View> {
    const created = expectNoLeak(await http().post('/api/v1/catalog/drafts').set(bearer(key)).send({ format: BUNDLE_FORMAT, description }));
    expect(created.status).toBe(201);
    const res = await http()
      .get(`/api/v1/catalog/drafts/${(created.body as { id: string }).id}`)
      .set(bearer(key));
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(`"${(res.body as View).revision}"`);
    return res.body as View;
  }

  const edit = (key: string, id: string, etag: string | undefined, body: object): request.Test => {
    const req = http().post(`/api/v1/catalog/drafts/${id}/edits`).set(bearer(key));
    return (etag === undefined ? req : req.set('If-Match', etag)).send(body);
  };

  const inForce = async (draft?: string): Promise<string[]> => {
    const res = await http()
      .post('/api/v1/match')
      .set(bearer(TEST_ADMIN_KEY))
      .send({ profile: aTestingLab(), asOf: AS_OF, ...(draft ? { draft } : {}) });
    expect(res.status).toBe(200);
    return (res.body as { matches: { measureId: string; status: string }[] }).matches.filter((m) => m.status === 'in-force').map((m) => m.measureId);
  };

  it('extends a document in one action: its measures and its term follow, recorded with who and when', async () => {
    const draft = await startDraft(admins[0].key, '静安2024措施延期至2026年底');
    expect(draft).toMatchObject({ revision: 1, basedOnLive: true, findings: [] });
    expectProblem(
      await edit(admins[0].key, draft.id, undefined, { action: 'set-term', documentId: JINGAN, validFrom: '2024-12-09', validTo: '2026-12-31' }),
      428,
      'If-Match',
    );
    expectProblem(
      await edit(admins[0].key, draft.id, '"1"', { action: 'set-term', documentId: JINGAN, validFrom: '2024-12-09', validTo: '2026-13-01' }),
      422,
      'validity.validTo',
      /有效日期/,
    );
    // In the reader's language: Chinese by default, English when asked.
    expectProblem(
      await edit(admins[0].key, draft.id, '"1"', { action: 'set-term', documentId: JINGAN, validFrom: '2024-12-09', validTo: '2026-13-01' }).set(
        'Accept-Language',
        'en',
      ),
      422,
      'validity.validTo',
      /YYYY-MM-DD/,
    );

    const res = await edit(admins[0].key, draft.id, '"1"', { action: 'set-term', documentId: JINGAN, validFrom: '2024-12-09', validTo: '2026-12-31' });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    const view = res.body as View;
    expect(view.findings).toEqual([]);
    expect(view.documentList.find((d) => d.id === JINGAN)).toMatchObject({
      term: '自公布之日起生效，有效期至2026年12月31日',
      validity: { validTo: '2026-12-31' },
    });
    expect(view.diff.changed.map((c) => c.measureId).sort()).toEqual([...jinganMeasures].sort());
    expect(view.edits[0]).toMatchObject({ revision: 2, action: 'set-term', target: JINGAN, by: admins[0].name });
    expect(await inForce()).toEqual([]);
    expect((await inForce(view.id)).length).toBeGreaterThan(0);
  });

  it('flags a term whose words no longer agree with the dates, on the term field', async () => {
    const draft = await startDraft(admins[0].key, 'plan extended');
    const res = await edit(admins[0].key, draft.id, '"1"', { action: 'set-term', documentId: PLAN, validFrom: '2021-01-01', validTo: '2026-12-31' });
    expect(res.status).toBe(200);
    const findings = (res.body as View).findings.filter((f) => f.documentId === PLAN);
    expect(findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'term', path: `documents.${PLAN}.term`, message: expect.stringMatching(/2025.*2026-12-31/) })]),
    );
    // Correcting the words clears it.
    const fixed = await edit(admins[0].key, draft.id, '"2"', {
      action: 'set-term',
      documentId: PLAN,
      validFrom: '2021-01-01',
      validTo: '2026-12-31',
      term: '2021—2026年',
      termEn: '2021–2026',
    });
    expect((fixed.body as View).findings).toEqual([]);
  });

  it('two administrators editing one draft: the first wins, the second gets 409 naming the change', async () => {
    const draft = await startDraft(admins[0].key, 'two editors');
    const measure = jinganMeasures[0];
    const [a, b] = await Promise.all([
      edit(admins[0].key, draft.id, '"1"', { action: 'edit-measure', measureId: measure, fields: { title: '甲改的标题' } }),
      edit(admins[1].key, draft.id, '"1"', { action: 'withdraw-measure', measureId: jinganMeasures[1] }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const [won, lost] = a.status === 200 ? [a, b] : [b, a];
    const winner = a.status === 200 ? admins[0] : admins[1];
    expectProblem(lost, 409);
    const problem = lost.body as { revision: number; changes: { action: string; target: string; by: string }[]; detail: string };
    expect(problem.revision).toBe(2);
    expect(problem.changes).toEqual([expect.objectContaining({ revision: 2, by: winner.name })]);
    expect(problem.detail).toContain(winner.name);
    // Nothing of the losing edit was written; redone on the new revision, both are kept.
    const loserBody =
      won === a
        ? { action: 'withdraw-measure', measureId: jinganMeasures[1] }
        : { action: 'edit-measure', measureId: measure, fields: { title: '甲改的标题' } };
    const again = await edit(won === a ? admins[1].key : admins[0].key, draft.id, won.headers.etag, loserBody);
    expect(again.status).toBe(200);
    const view = again.body as View;
    expect(view.revision).toBe(3);
    expect(view.edits.map((e) => e.action).sort()).toEqual(['edit-measure', 'withdraw-measure']);
    expect(view.diff.changed.map((c) => c.measureId)).toContain(measure);
  });

  it('finds a supersedes that names nothing or the document itself', async () => {
    const doc = { ...base.documents.find((d) => d.id === JINGAN)!, supersedes: [JINGAN, 'no-such-document'] };
    const res = await http()
      .post('/api/v1/catalog/drafts')
      .set(bearer(admins[0].key))
      .send({ format: BUNDLE_FORMAT, documents: [{ document: doc, rules: base.rules[JINGAN], coverage: base.coverage[JINGAN], cases: base.cases[JINGAN] }] });
    expect(res.status).toBe(422);
    const messages = (res.body as { findings: { field?: string; message: string }[] }).findings.filter((f) => f.field === 'supersedes').map((f) => f.message);
    expect(messages).toEqual([expect.stringMatching(/names itself/), expect.stringMatching(/no-such-document is not a document/)]);
  });

  it('two drafts of one base: the second to publish answers 409 with what was published since, and is rebuilt on it with nothing lost', async () => {
    const first = await startDraft(admins[0].key, 'first');
    const second = await startDraft(admins[1].key, 'second');
    expect(
      (await edit(admins[0].key, first.id, '"1"', { action: 'set-term', documentId: JINGAN, validFrom: '2024-12-09', validTo: '2026-12-31' })).status,
    ).toBe(200);
    const edited = await edit(admins[1].key, second.id, '"1"', {
      action: 'edit-measure',
      measureId: jinganMeasures[2],
      fields: { titleEn: 'Edited by the second' },
    });
    expect(edited.status).toBe(200);

    expect((await http().post(`/api/v1/catalog/drafts/${first.id}/publish`).set(bearer(admins[0].key))).status).toBe(200);
    const refused = await http().post(`/api/v1/catalog/drafts/${second.id}/publish`).set(bearer(admins[1].key));
    expectProblem(refused, 409);
    const since = (refused.body as { publishedSince: { changed: { measureId: string }[] } }).publishedSince;
    expect(since.changed.map((c) => c.measureId).sort()).toEqual([...jinganMeasures].sort());
    expect(((await http().get(`/api/v1/catalog/drafts/${second.id}`).set(bearer(admins[1].key))).body as View).basedOnLive).toBe(false);

    // The two changed different fields (the validity, an English title): nothing conflicts, so it is rebuilt automatically.
    const rebased = await http().post(`/api/v1/catalog/drafts/${second.id}/rebase`).set(bearer(admins[1].key)).set('If-Match', '"2"').send({});
    expect(rebased.status).toBe(200);
    expect(rebased.body).toMatchObject({ conflicts: [], revision: 3 });
    expect((await http().post(`/api/v1/catalog/drafts/${second.id}/publish`).set(bearer(admins[1].key))).status).toBe(200);
    const measures = await http().get(`/api/v1/measures/${jinganMeasures[2]}`);
    expect(measures.body).toMatchObject({ titleEn: 'Edited by the second', validity: { validTo: '2026-12-31' } });
    expect((await inForce()).length).toBeGreaterThan(0);
  });

  it('adds a pasted document and a measure built from its quote, conditions and cases, with no findings', async () => {
    const draft = await startDraft(admins[0].key, 'new test document');
    const text = '静安区测试样例文件（非真实政策）\n对在静安区新落户的链主企业，由区投资办给予最高100万元奖励。\n';
    const added = await edit(admins[0].key, draft.id, '"1"', {
      action: 'add-document',
      document: {
        id: 'jingan-test-pasted-2026',
        district: 'jingan',
        title: '静安区测试样例文件',
        titleEn: 'Jing’an test document (not a real policy)',
        issuer: '测试样例',
        issuerEn: 'Test fixture',
        issuedOn: '2026-11-01',
        term: '有效期至2027年12月31日',
        termEn: 'Until 31 December 2027',
        validFrom: '2026-11-01',
        validTo: '2027-12-31',
      },
      text,
    });
    expect(added.status).toBe(200);
    expect((added.body as View).findings).toEqual([]);
    const quote = '对在静安区新落户的链主企业，由区投资办给予最高100万元奖励。';
    const measure = {
      action: 'add-measure',
      documentId: 'jingan-test-pasted-2026',
      measureId: 'jingan-tp26-chain-leader-award',
      quote,
      fields: {
        title: '新落户链主企业奖励',
        titleEn: 'Award for chain leaders relocating in',
        summary: '新落户静安的链主企业最高可获100万元奖励。',
        summaryEn: 'Chain leaders relocating to Jing’an may receive up to 1 million yuan.',
        kind: 'measure',
        supportType: ['funding'],
        departments: ['区投资办'],
      },
      conditions: [
        { fact: 'roles', values: ['chain-leader'], basis: '链主企业' },
        { fact: 'plans', values: ['relocate-in'], basis: '新落户' },
      ],
      supportTypeBasis: { funding: '给予最高100万元奖励' },
      cases: [
        { case: '新落户的链主企业', profile: { location: { district: 'jingan' }, roles: ['chain-leader'], plans: ['relocate-in'] }, expect: 'match' },
        { case: '已在区内的链主企业', profile: { location: { district: 'jingan' }, roles: ['chain-leader'] }, expect: 'no-match' },
      ],
    };
    expectProblem(await edit(admins[0].key, draft.id, '"2"', { ...measure, quote: '不在原文中的句子。' }), 422, 'quote');
    const res = await edit(admins[0].key, draft.id, '"2"', measure);
    expect(res.status).toBe(200);
    expect((res.body as View).findings).toEqual([]);
    expect((res.body as View & { diff: { added: { measureId: string }[] } }).diff.added.map((m) => m.measureId)).toEqual(['jingan-tp26-chain-leader-award']);
    // A case the rule does not bear out is a finding on the measure's cases.
    const wrong = await edit(admins[0].key, draft.id, '"3"', { action: 'withdraw-measure', measureId: 'jingan-tp26-chain-leader-award' });
    expect(wrong.status).toBe(200);
    const bad = await edit(admins[0].key, draft.id, '"4"', {
      ...measure,
      cases: [{ case: '错误的预期', profile: { location: { district: 'jingan' }, roles: ['chain-leader'] }, expect: 'match' }],
    });
    expect((bad.body as View).findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          measureId: 'jingan-tp26-chain-leader-award',
          field: 'cases',
          message: expect.stringMatching(/expected match, the compiled matcher gives no-match/),
        }),
      ]),
    );
  });
});
