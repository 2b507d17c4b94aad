import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { codesNamedBy, DISTRICTS, documentText, labelOf, loadCatalog, MEASURE_KINDS, SUPPORT_TYPES, type Measure } from '@matcher/catalog';
import { backends } from '../support/backends';
import { expectNoLeak, expectProblem } from '../support/http';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * The catalog endpoints: health, measures (every filter, paging), one measure, departments, documents,
 * the taxonomy the form is built from, and the OpenAPI document. Expected values are computed from the
 * catalog files, not copied from the API.
 */

jest.setTimeout(20_000);

const catalog = loadCatalog();
const N = catalog.measures.length;
const QUALITY = 'jingan-2024-professional-services-quality';
const v1Schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'libs', 'catalog', 'src', 'data', 'company-profile.v1.schema.json'), 'utf8'));

/** Status as of a date, stated independently of the engine. */
function statusOf(m: Measure, asOf: string): string {
  const { validFrom, validTo } = m.validity;
  if (!validFrom && !validTo) return 'term-unknown';
  if (validFrom && asOf < validFrom) return 'not-yet-in-force';
  if (validTo && asOf > validTo) return 'expired';
  return 'in-force';
}

/** The sector filter: measures for the sector itself, for its parent, or for one of its children. */
function sectorMatches(m: Measure, sector: string): boolean {
  return m.sectors.some((s) => s === sector || sector.startsWith(`${s}/`) || s.startsWith(`${sector}/`));
}

function textMatches(m: Measure, q: string): boolean {
  const text = [m.title, m.titleEn, m.summary, m.summaryEn, m.source.quote].join('\n').toLowerCase();
  if (text.includes(q.toLowerCase())) return true;
  // Codes the query names through the synonym table: their labels, and for sectors the sector or beneath it;
  // last, the section heading the entry stands under.
  const section = m.source.section.toLowerCase();
  const labels = codesNamedBy(q).flatMap((c) => [
    labelOf(c.fieldKey, c.code, 'zh').split('/').pop()!.toLowerCase(),
    ...(c.fieldKey !== 'sectors' ? [labelOf(c.fieldKey, c.code, 'en').toLowerCase()] : []),
  ]);
  return (
    labels.some((l) => l && text.includes(l)) ||
    codesNamedBy(q).some((c) => c.fieldKey === 'sectors' && m.sectors.some((s) => s === c.code || s.startsWith(`${c.code}/`))) ||
    section.includes(q.toLowerCase()) ||
    labels.some((l) => l && section.includes(l))
  );
}

const ids = (ms: Measure[]) => ms.map((m) => m.id);
const compact = (s: string) => s.replace(/\s+/g, '');

interface ListBody {
  total: number;
  limit: number;
  offset: number;
  asOf: string;
  items: (Measure & { status: string; asOf: string })[];
}

describe.each(backends())('catalog API on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(backend);
  }, 120_000);
  afterAll(async () => t?.close(), 60_000);

  const http = () => request(t.app.getHttpServer());
  async function list(query: string): Promise<ListBody> {
    const res = expectNoLeak(await http().get(`/api/v1/measures${query}`));
    if (res.status !== 200) throw new Error(`GET /measures${query} → ${res.status} ${res.text.slice(0, 300)}`);
    return res.body as ListBody;
  }

  describe('health', () => {
    it('GET /health reports the ruleset, the measure count, the database and the audit queue', async () => {
      const res = expectNoLeak(await http().get('/api/v1/health').expect(200));
      expect(res.body).toMatchObject({ status: 'ok', rulesetVersion: catalog.version, measures: N, database: 'up', audit: { dropped: 0 } });
      expect(res.headers['x-ruleset-version']).toBe(catalog.version);
    });

    it('GET /health/ready answers 200 ready while the database answers', async () => {
      const res = expectNoLeak(await http().get('/api/v1/health/ready').expect(200));
      expect(res.body).toEqual({ status: 'ready', database: 'up' });
      expect(res.headers['x-ruleset-version']).toBe(catalog.version);
    });
  });

  describe('GET /measures', () => {
    it('pages 50 by default, in catalog order, each item the whole record with its status', async () => {
      const body = await list('?asOf=2025-06-01');
      expect(body).toMatchObject({ total: N, limit: 50, offset: 0, asOf: '2025-06-01' });
      expect(body.items.map((m) => m.id)).toEqual(ids(catalog.measures.slice(0, 50)));
      for (const item of body.items) {
        const m = catalog.measures.find((x) => x.id === item.id)!;
        expect(item).toEqual({ ...m, status: statusOf(m, '2025-06-01'), asOf: '2025-06-01' });
      }
      const today = await list('');
      expect(today.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(today.items).toHaveLength(50);
    });

    it('serves up to 500 at once, and pages through the rest with offset', async () => {
      const all = await list('?limit=500');
      expect(all.total).toBe(N);
      expect(all.items.map((m) => m.id)).toEqual(ids(catalog.measures));
      const page = await list('?limit=50&offset=50');
      expect(page.items.map((m) => m.id)).toEqual(ids(catalog.measures.slice(50, 100)));
      const tail = await list(`?limit=50&offset=${N - 7}`);
      expect(tail).toMatchObject({ total: N, offset: N - 7 });
      expect(tail.items.map((m) => m.id)).toEqual(ids(catalog.measures.slice(-7)));
      const beyond = await list(`?offset=${N + 10}`);
      expect(beyond).toMatchObject({ total: N, items: [] });
      const one = await list('?limit=1&offset=3');
      expect(one.items.map((m) => m.id)).toEqual([catalog.measures[3].id]);
    });

    it.each(DISTRICTS.map((d) => [d]))('filters by district=%s', async (district) => {
      const body = await list(`?district=${district}&limit=500`);
      expect(body.items.map((m) => m.id)).toEqual(ids(catalog.measures.filter((m) => m.district === district)));
      expect(body.total).toBe(body.items.length);
    });

    it('filters by department, document-named or inferred', async () => {
      for (const department of [
        'jingan-bureau-of-justice',
        'xuhui-science-and-technology-commission',
        catalog.measures.find((m) => m.district === 'qingpu')!.departments[0].id,
      ]) {
        const body = await list(`?department=${department}&limit=500`);
        const expected = catalog.measures.filter((m) => m.departments.some((d) => d.id === department));
        expect(expected.length).toBeGreaterThan(0);
        expect(body.items.map((m) => m.id)).toEqual(ids(expected));
        expect(body.total).toBe(expected.length);
      }
      expect((await list('?department=jingan-bureau-of-justice&limit=500')).items.map((m) => m.id)).toContain(QUALITY);
      expect(await list('?department=no-such-department')).toMatchObject({ total: 0, items: [] });
    });

    it('filters by sector: a parent brings its children’s measures, a child brings its parent’s but not its siblings’', async () => {
      const parent = await list('?sector=life-health&limit=500');
      const child = await list(`?sector=${encodeURIComponent('life-health/innovative-drugs')}&limit=500`);
      expect(parent.items.map((m) => m.id)).toEqual(ids(catalog.measures.filter((m) => sectorMatches(m, 'life-health'))));
      expect(child.items.map((m) => m.id)).toEqual(ids(catalog.measures.filter((m) => sectorMatches(m, 'life-health/innovative-drugs'))));

      const parentRule = catalog.measures.find((m) => m.sectors.includes('life-health'))!;
      const childRule = catalog.measures.find((m) => m.sectors.includes('life-health/innovative-drugs'))!;
      const siblingOnly = catalog.measures.find(
        (m) => m.sectors.some((s) => s.startsWith('life-health/')) && !m.sectors.includes('life-health') && !m.sectors.includes('life-health/innovative-drugs'),
      )!;
      expect([parentRule, childRule, siblingOnly].every(Boolean)).toBe(true);
      const parentIds = parent.items.map((m) => m.id);
      const childIds = child.items.map((m) => m.id);
      expect(parentIds).toEqual(expect.arrayContaining([parentRule.id, childRule.id, siblingOnly.id]));
      expect(childIds).toEqual(expect.arrayContaining([parentRule.id, childRule.id]));
      expect(childIds).not.toContain(siblingOnly.id);
      // Sector codes of the documented profile extension are accepted too.
      expect((await list(`?sector=${encodeURIComponent('digital/5g')}&limit=500`)).total).toBe(
        catalog.measures.filter((m) => sectorMatches(m, 'digital/5g')).length,
      );
    });

    it.each(SUPPORT_TYPES.map((s) => [s]))('filters by supportType=%s', async (supportType) => {
      const body = await list(`?supportType=${supportType}&limit=500`);
      expect(body.items.map((m) => m.id)).toEqual(ids(catalog.measures.filter((m) => m.supportType.includes(supportType))));
    });

    it.each(MEASURE_KINDS.map((k) => [k]))('filters by kind=%s; every item shows its kind and, when broad, both precision notes', async (kind) => {
      const body = await list(`?kind=${kind}&limit=500`);
      expect(body.items.map((m) => m.id)).toEqual(ids(catalog.measures.filter((m) => m.kind === kind)));
      for (const m of body.items) {
        expect(m.kind).toBe(kind);
        const record = catalog.measures.find((x) => x.id === m.id)!;
        expect([m.precision, m.precisionNote, m.precisionNoteEn]).toEqual([record.precision, record.precisionNote, record.precisionNoteEn]);
        if (m.precision === 'broad') expect(m.precisionNote && m.precisionNoteEn).toBeTruthy();
      }
    });

    it('refuses an unknown kind with the field path', async () => {
      expectProblem(await http().get('/api/v1/measures?kind=slogan'), 400, 'kind');
    });

    it.each([
      ['in-force', '2025-06-01'],
      ['term-unknown', '2025-06-01'],
      ['expired', '2026-06-01'],
      ['not-yet-in-force', '2024-06-01'],
      ['in-force', '2024-12-09'],
      ['expired', '2025-12-31'],
      ['in-force', '2026-01-01'],
    ])('filters by status=%s as of %s', async (status, asOf) => {
      const body = await list(`?status=${status}&asOf=${asOf}&limit=500`);
      const expected = catalog.measures.filter((m) => statusOf(m, asOf) === status);
      expect(body.items.map((m) => m.id)).toEqual(ids(expected));
      expect(body.items.every((m) => m.status === status && m.asOf === asOf)).toBe(true);
      if (status === 'expired' && asOf === '2025-12-31') expect(body.total).toBe(0); // the last day is still in force
      if (status === 'in-force' && asOf === '2026-01-01') expect(body.items.every((m) => m.district === 'qingpu' || m.validity.validTo === null)).toBe(true);
    });

    it.each([
      ['人才', 'zh'],
      ['专业服务', 'zh'],
      ['Talent', 'en, any case'],
      ['HEADQUARTERS', 'en, upper case'],
      ['artificial intelligence', 'en, phrase'],
      ['%', 'a LIKE wildcard taken literally'],
      ['_', 'a LIKE wildcard taken literally'],
    ])('searches titles, summaries and quotes: q=%s (%s)', async (q) => {
      const body = await list(`?q=${encodeURIComponent(q)}&limit=500`);
      const expected = catalog.measures.filter((m) => textMatches(m, q));
      expect(body.items.map((m) => m.id).sort()).toEqual(ids(expected).sort());
      // Title hits come before the rest.
      const inTitle = body.items.map((m) => `${m.title}\n${m.titleEn}`.toLowerCase().includes(q.toLowerCase()));
      expect(inTitle).toEqual([...inTitle].sort((a, b) => Number(b) - Number(a)));
      if (/^[\p{L} ]+$/u.test(q)) expect(expected.length).toBeGreaterThan(0);
    });

    it('ranks by relevance: for 人工智能 a measure titled 人工智能… comes first, then title hits, then the rest', async () => {
      const body = await list(`?q=${encodeURIComponent('人工智能')}&kind=measure&limit=500`);
      const titled = catalog.measures.filter((m) => m.kind === 'measure' && m.title.startsWith('人工智能'));
      expect(titled.length).toBeGreaterThan(0);
      expect(body.items[0].title.startsWith('人工智能')).toBe(true);
      expect(
        body.items
          .slice(0, titled.length)
          .map((m) => m.id)
          .sort(),
      ).toEqual(ids(titled).sort());
      const inTitle = body.items.map((m) => m.title.includes('人工智能'));
      expect(inTitle).toEqual([...inTitle].sort((a, b) => Number(b) - Number(a)));
    });

    it('finds entries by everyday names: 大模型 those for 算法与大模型, 高企 those naming 高新技术企业', async () => {
      const large = await list(`?q=${encodeURIComponent('大模型')}&limit=500`);
      const models = catalog.measures.filter((m) => m.sectors.includes('ai/models-algorithms'));
      expect(models.length).toBeGreaterThan(0);
      expect(large.items.map((m) => m.id)).toEqual(expect.arrayContaining(ids(models)));
      // The large-model measures when there are any; the README claims them only if so.
      const modelMeasures = models.filter((m) => m.kind === 'measure');
      const measuresOnly = await list(`?q=${encodeURIComponent('大模型')}&kind=measure&limit=500`);
      expect(measuresOnly.items.map((m) => m.id)).toEqual(expect.arrayContaining(ids(modelMeasures)));
      const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
      expect(/large-model measures/.test(readme)).toBe(modelMeasures.length > 0);
      const hte = await list(`?q=${encodeURIComponent('高企')}&limit=500`);
      const naming = catalog.measures.filter((m) => textMatches(m, '高新技术企业'));
      expect(naming.length).toBeGreaterThan(0);
      expect(hte.items.map((m) => m.id)).toEqual(expect.arrayContaining(ids(naming)));
    });

    it('combines filters (and pages the combination)', async () => {
      const expected = catalog.measures.filter(
        (m) =>
          m.district === 'jingan' &&
          m.supportType.includes('other') &&
          statusOf(m, '2025-06-01') === 'in-force' &&
          sectorMatches(m, 'professional-services') &&
          textMatches(m, '专业服务'),
      );
      expect(expected.length).toBeGreaterThan(2);
      const query = `?district=jingan&supportType=other&status=in-force&asOf=2025-06-01&sector=professional-services&q=${encodeURIComponent('专业服务')}`;
      const all = (await list(`${query}&limit=500`)).items.map((m) => m.id);
      expect([...all].sort()).toEqual(ids(expected).sort());
      const page = await list(`${query}&limit=2&offset=1`);
      expect(page).toMatchObject({ total: expected.length, limit: 2, offset: 1 });
      expect(page.items.map((m) => m.id)).toEqual(all.slice(1, 3));
      const withDepartment = await list(`${query}&department=jingan-bureau-of-justice&limit=500`);
      expect(withDepartment.items.map((m) => m.id)).toEqual(ids(expected.filter((m) => m.departments.some((d) => d.id === 'jingan-bureau-of-justice'))));
      expect(await list('?district=qingpu&status=in-force&asOf=2025-06-01')).toMatchObject({ total: 0, items: [] });
    });
  });

  describe('GET /measures/:id', () => {
    it('gives the whole record, the rule in words and the source paragraph around the quote', async () => {
      const res = expectNoLeak(await http().get(`/api/v1/measures/${QUALITY}?asOf=2025-06-01`).expect(200));
      const m = catalog.measures.find((x) => x.id === QUALITY)!;
      expect(res.body).toMatchObject({ ...m, status: 'in-force', asOf: '2025-06-01' });
      expect(res.body.departments.map((d: { name: string; source: string }) => `${d.name}/${d.source}`)).toEqual([
        '区司法局/document',
        '区财政局/document',
        '区人力资源社会保障局/document',
        '区市场监管局/document',
        '区投资办/document',
      ]);

      type Words = { name: string; kind: string; zh: string; en: string; fact?: string; basis?: string; children?: Words[] };
      const rule = res.body.rule as Words;
      expect(rule).toMatchObject({ name: 'eligibility', kind: 'all', zh: '同时满足', en: 'All of' });
      const leaves: Words[] = [];
      const walk = (w: Words) => (w.children ? w.children.forEach(walk) : leaves.push(w));
      walk(rule);
      expect(leaves.map((l) => l.name)).toEqual([
        'location',
        'professional-service-institution',
        'industry-association',
        'professional-services-sector',
        'standard-setting',
      ]);
      // Each condition but the district stands on its words of the text.
      expect(leaves.find((l) => l.name === 'industry-association')).toMatchObject({ basis: '行业协会' });
      expect(leaves.find((l) => l.name === 'location')).not.toHaveProperty('basis');
      expect(leaves.find((l) => l.name === 'location')).toMatchObject({ kind: 'condition', fact: 'location.district', zh: '注册所在区为：静安区' });
      expect(leaves.find((l) => l.name === 'standard-setting')).toMatchObject({ fact: 'plans', zh: '发展计划包括：参与标准制修订' });
      expect(leaves.find((l) => l.name === 'professional-services-sector')?.zh).toBe('行业属于：专业服务');
      for (const l of leaves) expect(l.en.length).toBeGreaterThan(0);
      expect(rule.children?.find((c) => c.name === 'addressee')).toMatchObject({ kind: 'any', zh: '满足其一' });

      const paragraph = res.body.sourceParagraph as { before: string; quote: string; after: string };
      expect(compact(paragraph.quote)).toContain(compact(m.source.quote));
      expect(paragraph.before).toContain('支持专业服务业品质化升级');
      expect(paragraph.after).toContain('(责任部门:区司法局、区财政局、区人力资源社会保障局、区市场监管局、区投资办)');

      // The range the document view highlights: offsets into the full text GET /documents/:id serves.
      const [start, end] = res.body.quoteRange as [number, number];
      const doc = await http().get(`/api/v1/documents/${m.source.documentId}`).expect(200);
      expect(compact((doc.body.fullText as string).slice(start, end))).toBe(compact(m.source.quote));
    });

    it("finds every measure's quote in its document, and says its status as of the date asked", async () => {
      for (const m of catalog.measures) {
        const res = await http().get(`/api/v1/measures/${m.id}?asOf=2026-06-01`);
        expect(res.status).toBe(200);
        expect(res.body.id).toBe(m.id);
        expect(res.body.status).toBe(statusOf(m, '2026-06-01'));
        expect(res.body.sourceParagraph).not.toBeNull();
        expect(compact(res.body.sourceParagraph.quote)).toBe(compact(m.source.quote));
        expect(res.body.rule.kind).toBe('all');
      }
    }, 60_000);

    it('is a 404 problem for an unknown id', async () => {
      expectProblem(await http().get('/api/v1/measures/no-such-measure'), 404);
      expectProblem(await http().get('/api/v1/measures/JINGAN-2024-PROFESSIONAL-SERVICES-QUALITY'), 404);
    });
  });

  describe('GET /departments', () => {
    it('lists the directory with measure counts, split into document-named and inferred', async () => {
      const res = expectNoLeak(await http().get('/api/v1/departments').expect(200));
      const items = res.body.items as {
        id: string;
        district: string;
        name: string;
        fullName: string;
        nameEn: string;
        measures: { total: number; document: number; inferred: number };
      }[];
      expect(res.body.total).toBe(catalog.departments.length);
      expect(items.map((d) => d.id).sort()).toEqual(catalog.departments.map((d) => d.id).sort());
      for (const d of items) {
        const entry = catalog.departments.find((x) => x.id === d.id)!;
        expect(d).toMatchObject({ district: entry.district, name: entry.name, fullName: entry.fullName, nameEn: entry.nameEn });
        const links = catalog.measures.flatMap((m) => m.departments.filter((x) => x.id === d.id));
        expect(d.measures).toEqual({
          total: links.length,
          document: links.filter((x) => x.source === 'document').length,
          inferred: links.filter((x) => x.source === 'inferred').length,
        });
      }
      const justice = items.find((d) => d.id === 'jingan-bureau-of-justice')!;
      expect(justice.name).toBe('区司法局');
      expect(justice.measures.document).toBeGreaterThan(0);
      expect(items.reduce((n, d) => n + d.measures.total, 0)).toBe(catalog.measures.reduce((n, m) => n + m.departments.length, 0));
      // Grouped by district, the busiest department first.
      const order = items.map((d) => d.district);
      expect(order).toEqual([...order].sort());
    });

    it("GET /departments/:id/measures lists that department's measures, with the same filters and paging", async () => {
      const expected = catalog.measures.filter((m) => m.departments.some((d) => d.id === 'jingan-bureau-of-justice'));
      const res = expectNoLeak(await http().get('/api/v1/departments/jingan-bureau-of-justice/measures?limit=500&asOf=2025-06-01').expect(200));
      expect(res.body.items.map((m: Measure) => m.id)).toEqual(ids(expected));
      expect(res.body.items.map((m: Measure) => m.id)).toContain(QUALITY);
      const filtered = expectNoLeak(await http().get('/api/v1/departments/jingan-bureau-of-justice/measures?supportType=recognition&limit=1').expect(200));
      expect(filtered.body).toMatchObject({ total: expected.filter((m) => m.supportType.includes('recognition')).length, limit: 1 });
      expect(filtered.body.items).toHaveLength(1);
      const unused = catalog.departments.find((d) => !catalog.measures.some((m) => m.departments.some((x) => x.id === d.id)));
      if (unused) expect((await http().get(`/api/v1/departments/${unused.id}/measures`).expect(200)).body).toMatchObject({ total: 0, items: [] });
    });

    it('is a 404 problem for an unknown department', async () => {
      expectProblem(await http().get('/api/v1/departments/no-such-department/measures'), 404);
    });
  });

  describe('GET /documents', () => {
    it('lists the five documents with their measure counts, without their text', async () => {
      const res = expectNoLeak(await http().get('/api/v1/documents').expect(200));
      expect(res.body.total).toBe(5);
      for (const d of res.body.items) {
        const doc = catalog.documents.find((x) => x.id === d.id)!;
        expect(d).toMatchObject({
          district: doc.district,
          title: doc.title,
          titleEn: doc.titleEn,
          issuer: doc.issuer,
          issuedOn: doc.issuedOn,
          validFrom: doc.validity.validFrom,
          validTo: doc.validity.validTo,
          validityBasis: doc.validity.basis,
        });
        expect(d.measures).toBe(catalog.measures.filter((m) => m.source.documentId === d.id).length);
        expect(d).not.toHaveProperty('fullText');
      }
      expect(res.body.items.map((d: { id: string }) => d.id).sort()).toEqual(catalog.documents.map((d) => d.id).sort());
    });

    it('GET /documents/:id gives the full text and the measures drawn from it, in order', async () => {
      for (const doc of catalog.documents) {
        const res = expectNoLeak(await http().get(`/api/v1/documents/${doc.id}`).expect(200));
        expect(res.body).toMatchObject({ id: doc.id, title: doc.title, term: doc.term });
        expect(res.body.fullText).toBe(documentText(doc.id));
        expect(res.body.measures.map((m: { id: string }) => m.id)).toEqual(ids(catalog.measures.filter((m) => m.source.documentId === doc.id)));
      }
      const jingan = await http().get('/api/v1/documents/jingan-modern-industry-measures-2024').expect(200);
      expect(jingan.body.measures).toHaveLength(41);
      expect(jingan.body.fullText).toContain('支持专业服务业品质化升级');
    });

    it('is a 404 problem for an unknown document', async () => {
      expectProblem(await http().get('/api/v1/documents/no-such-document'), 404);
    });
  });

  describe('GET /taxonomy', () => {
    type Code = { code: string; zh: string; en: string; parent?: string; children?: string[] };
    type Field = { key: string; kind: string; zh: string; en: string; codes?: Code[] };

    it('has every code of profile v1 with zh and en labels', async () => {
      const res = expectNoLeak(await http().get('/api/v1/taxonomy').expect(200));
      const fields = res.body.fields as Field[];
      const p = v1Schema.properties;
      const v1: Record<string, string[]> = {
        'location.district': p.location.properties.district.enum,
        'location.area': p.location.properties.area.enum,
        sectors: v1Schema.$defs.sector.enum,
        headquarters: p.headquarters.items.enum,
        headquartersRecognition: p.headquartersRecognition.enum,
        qualifications: p.qualifications.items.enum,
        roles: p.roles.items.enum,
        ownership: p.ownership.enum,
        size: p.size.enum,
        listing: p.listing.enum,
        plans: p.plans.items.enum,
        talent: p.talent.items.enum,
      };
      for (const [key, codes] of Object.entries(v1)) {
        const field = fields.find((f) => f.key === key);
        expect(field).toBeDefined();
        expect(field!.zh.length).toBeGreaterThan(0);
        expect(field!.en.length).toBeGreaterThan(0);
        expect(field!.codes!.map((c) => c.code)).toEqual(codes);
        for (const c of field!.codes!) {
          expect(c.zh.trim().length).toBeGreaterThan(0);
          expect(c.en.trim().length).toBeGreaterThan(0);
        }
      }
      for (const metric of Object.keys(p.metrics.properties)) expect(fields.find((f) => f.key === `metrics.${metric}`)).toMatchObject({ kind: 'number' });
      const label = (key: string, code: string) => fields.find((f) => f.key === key)!.codes!.find((c) => c.code === code);
      expect(label('location.district', 'jingan')).toMatchObject({ zh: '静安区' });
      expect(label('sectors', 'professional-services/testing-certification')).toMatchObject({ zh: '检验检测认证', parent: 'professional-services' });
      expect(label('sectors', 'life-health/innovative-drugs')).toMatchObject({ zh: '创新药' });
      expect(label('roles', 'chain-leader')).toMatchObject({ zh: '链主企业' });
      expect(label('plans', 'international-standards')).toMatchObject({ zh: '参与标准制修订' });

      expect(res.body.districts).toEqual([...DISTRICTS]);
      expect(res.body.supportTypes.map((s: Code) => s.code)).toEqual([...SUPPORT_TYPES]);
      expect(res.body.statuses.map((s: Code) => s.code)).toEqual(['in-force', 'expired', 'not-yet-in-force', 'term-unknown']);
      for (const s of [...res.body.supportTypes, ...res.body.statuses]) expect(s.zh && s.en).toBeTruthy();
    });

    it('gives the sector hierarchy: each child names its parent, each parent lists its children', async () => {
      const res = await http().get('/api/v1/taxonomy').expect(200);
      const sectors = (res.body.fields as Field[]).find((f) => f.key === 'sectors')!.codes!;
      const byCode = new Map(sectors.map((c) => [c.code, c]));
      for (const c of sectors) {
        if (c.code.includes('/')) {
          const parent = c.code.split('/')[0];
          expect(c.parent).toBe(parent);
          expect(byCode.get(parent)?.children).toContain(c.code);
        } else {
          expect(c.parent).toBeUndefined();
          expect(c.children).toEqual(sectors.filter((x) => x.parent === c.code).map((x) => x.code));
        }
      }
      expect(byCode.get('life-health')?.children).toHaveLength(10);
      expect(byCode.get('sports')?.children).toEqual([]);
    });
  });

  describe('OpenAPI', () => {
    it('/docs-json documents every route, with examples for the match request body', async () => {
      const res = expectNoLeak(await http().get('/docs-json').expect(200));
      const paths = res.body.paths as Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> } }>
      >;
      const routes: [string, string][] = [
        ['get', '/api/v1/health'],
        ['get', '/api/v1/health/ready'],
        ['get', '/api/v1/measures'],
        ['get', '/api/v1/measures/{id}'],
        ['get', '/api/v1/departments'],
        ['get', '/api/v1/departments/{id}/measures'],
        ['get', '/api/v1/documents'],
        ['get', '/api/v1/documents/{id}'],
        ['get', '/api/v1/taxonomy'],
        ['post', '/api/v1/match'],
        ['post', '/api/v1/match/compare'],
        ['get', '/api/v1/evaluations/{id}'],
        ['post', '/api/v1/screenings'],
        ['post', '/api/v1/screenings/preview'],
      ];
      for (const [method, path] of routes) expect(paths[path]?.[method]).toBeDefined();
      const examples = paths['/api/v1/match'].post.requestBody?.content['application/json'].examples ?? {};
      expect(Object.keys(examples).length).toBeGreaterThan(0);
      for (const e of Object.values(examples)) expect(e.value).toHaveProperty('profile.location.district');
      const compareExamples = paths['/api/v1/match/compare'].post.requestBody?.content['application/json'].examples ?? {};
      expect(Object.keys(compareExamples).length).toBeGreaterThan(0);
      expect(res.body.components.schemas.CompanyProfile).toBeDefined();
    });

    it('every operation shows an example (request or response), or says it returns a file or nothing', async () => {
      const doc = (await http().get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
      const lacking: string[] = [];
      for (const [path, operations] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          const text = JSON.stringify(operation);
          const documented = /"examples?":/.test(text) || /text\/csv|spreadsheetml|"204"/.test(text) || /"description":"As POST/.test(text);
          if (!documented) lacking.push(`${method.toUpperCase()} ${path}`);
        }
      }
      expect(lacking).toEqual([]);
    });

    it('every example request of POST /match is itself accepted', async () => {
      const doc = (await http().get('/docs-json').expect(200)).body;
      const examples = doc.paths['/api/v1/match'].post.requestBody.content['application/json'].examples as Record<string, { value: Record<string, unknown> }>;
      for (const e of Object.values(examples)) expectNoLeak(await http().post('/api/v1/match').send(e.value).expect(200));
    });

    it('/docs serves the Swagger UI', async () => {
      const res = await http().get('/docs').expect(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
    });
  });
});
