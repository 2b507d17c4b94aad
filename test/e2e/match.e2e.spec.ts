import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DISTRICTS, loadCatalog, quotesOverlap, SUPPORT_TYPES, type CompanyProfile, type Measure } from '@matcher/catalog';
import type { MatchResponse } from '@matcher/contracts';
import { dataSourceOptions } from '@matcher/persistence';
import { AuditService } from '../../apps/api/src/audit/audit.service';
import { aTestingLab } from '../factories/profile.factory';
import { backends } from '../support/backends';
import { expectNoLeak, UUID } from '../support/http';
import { createTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

/**
 * POST /api/v1/match and /match/compare through the whole application, and the audit trail they leave.
 * Every date-sensitive request pins `asOf`. The app's audit timer is set to a minute, so what reaches the
 * database got there through an explicit flush or the graceful shutdown at the end.
 */

jest.setTimeout(20_000);

const catalog = loadCatalog();
const measureById = new Map(catalog.measures.map((m) => [m.id, m]));

const QUALITY = 'jingan-2024-professional-services-quality';
const TESTING_LAB = aTestingLab();
const QUALITY_DEPARTMENTS = ['区司法局', '区财政局', '区人力资源社会保障局', '区市场监管局', '区投资办'];
const STATUS_RANK: Record<string, number> = { 'in-force': 0, 'term-unknown': 1, 'not-yet-in-force': 2, expired: 3 };
/** Statuses of measures that may still be applied for: questions are asked for these only. */
const LIVE = new Set(['in-force', 'term-unknown']);

interface Worded {
  zh: string;
  en: string;
  text: string;
}
interface Held extends Worded {
  condition: string;
  fact: string;
  values: unknown[];
}
interface MatchItem {
  measureId: string;
  district: string;
  title: string;
  titleEn: string;
  departments: { id: string; name: string; nameEn: string; source: string }[];
  source: { documentId: string; documentTitle: string; issuer: string; issuedOn: string | null; section: string; quote: string };
  supportType: string[];
  kind: string;
  status: string;
  validFrom: string | null;
  validTo: string | null;
  scenario: string;
  specificity: string;
  explanation: Held[];
  factsUsed: number;
}
interface NearMiss extends Omit<MatchItem, 'summary' | 'summaryEn' | 'source' | 'explanation'> {
  reason: string;
  missing: (Worded & { fact: string; satisfiedBy: unknown[] })[];
  failed: (Worded & { condition: string; fact: string; profileValue: unknown; satisfiedBy: unknown; detailNeeded: boolean })[];
}
interface Question extends Worded {
  fact: string;
  decides: number;
  measureIds: string[];
  options: { value: unknown; measures: number }[];
}
interface Priority {
  measureId: string;
  district: string;
  title: string;
  section: string;
  quote: string;
  status: string;
  scenario: string;
  names: Held[];
}
type Summary = MatchResponse['summary'];
interface MatchBody {
  rulesetVersion: string;
  evaluationId: string;
  asOf: string;
  districts: string[];
  matches: MatchItem[];
  priorities: Priority[];
  nearMisses: NearMiss[];
  nearMissesTotal: number;
  questions: Question[];
  summary: Summary;
}

interface RuleCase {
  case: string;
  profile: CompanyProfile;
  expect: 'match' | 'no-match' | 'not-a-measure';
  quote?: string;
  asOf?: string;
}

/** test/rules/<district>/<documentId>.cases.json, read the way the rule runner reads them. */
function caseFiles(): { file: string; cases: Record<string, RuleCase[]> }[] {
  const root = join(__dirname, '..', 'rules');
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(root, d.name))
        .filter((f) => f.endsWith('.cases.json'))
        .sort()
        .map((f) => ({ file: `${d.name}/${f}`, cases: JSON.parse(readFileSync(join(root, d.name, f), 'utf8')) as Record<string, RuleCase[]> })),
    );
}

/** A date inside the measure's validity (its first day), or any date when the term is unknown. */
function dateInside(m: Measure): string {
  return m.validity.validFrom ?? m.validity.validTo ?? '2025-06-01';
}

describe.each(backends())('match API on $name', (backend) => {
  let t: TestApp;
  let closed = false;
  /** Every evaluation id the suite was given: all must be in the database after shutdown. */
  const evaluationIds: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(backend, { AUDIT_FLUSH_MS: 60_000 });
  }, 120_000);

  afterAll(async () => {
    if (!t) return;
    if (closed) await backend.drop(t.url);
    else await t.close();
  }, 60_000);

  const http = () => request(t.app.getHttpServer());

  /** `key`: the officer's key to match under (an officer reads back only their own evaluations). */
  async function match(body: Record<string, unknown>, key?: string): Promise<MatchBody> {
    const post = http().post('/api/v1/match');
    const res = expectNoLeak(await (key ? post.set('X-API-Key', key) : post).send(body));
    if (res.status !== 200) throw new Error(`POST /match ${JSON.stringify(body)} → ${res.status} ${res.text.slice(0, 400)}`);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['x-ruleset-version']).toBe(res.body.rulesetVersion);
    expect(res.body.evaluationId).toMatch(UUID);
    evaluationIds.push(res.body.evaluationId);
    return res.body as MatchBody;
  }

  describe("the issue's example: a Jing'an testing-and-certification institution", () => {
    it('gets 「支持专业服务业品质化升级」 with its five document-named departments, in force on 2025-06-01', async () => {
      const body = await match({ profile: TESTING_LAB, asOf: '2025-06-01' });
      expect(body.rulesetVersion).toBe(catalog.version);
      expect(body.asOf).toBe('2025-06-01');
      expect(body.districts).toEqual(['jingan']);
      const quality = body.matches.find((m) => m.measureId === QUALITY);
      expect(quality).toBeDefined();
      expect(quality).toMatchObject({
        measureId: QUALITY,
        district: 'jingan',
        title: '支持专业服务业品质化升级',
        status: 'in-force',
        validFrom: '2024-12-09',
        validTo: '2025-12-31',
        scenario: 'current-location',
        specificity: 'targeted',
        source: { documentId: 'jingan-modern-industry-measures-2024', issuedOn: '2024-12-09' },
      });
      expect(quality!.departments.map((d) => d.name)).toEqual(QUALITY_DEPARTMENTS);
      expect(quality!.departments.every((d) => d.source === 'document' && d.nameEn.length > 0)).toBe(true);
      expect(quality!.source.quote).toContain('参与国际标准、国家标准和行业标准的制修订');
      expect(quality!.source.section).toContain('(四)促进专业服务业“五化”[5]发展');
    });

    it('is expired on 2026-06-01 (still reported, after everything in force), and dropped with includeExpired: false', async () => {
      const body = await match({ profile: TESTING_LAB, asOf: '2026-06-01', districts: ['jingan', 'qingpu'] });
      const quality = body.matches.find((m) => m.measureId === QUALITY);
      expect(quality).toMatchObject({ status: 'expired', validTo: '2025-12-31', scenario: 'current-location' });
      // The company's own district first (all its measures expired), then Qingpu as a relocation (term unknown).
      const own = body.matches.filter((m) => m.scenario === 'current-location');
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((m) => m.district === 'jingan' && m.status === 'expired')).toBe(true);
      expect(body.matches.slice(0, own.length)).toEqual(own);
      expect(body.matches.slice(own.length).every((m) => m.district === 'qingpu' && m.status === 'term-unknown')).toBe(true);

      const current = await match({ profile: TESTING_LAB, asOf: '2026-06-01', districts: ['jingan', 'qingpu'], includeExpired: false });
      expect(current.matches.find((m) => m.measureId === QUALITY)).toBeUndefined();
      expect([...current.matches, ...current.nearMisses].every((m) => m.status !== 'expired')).toBe(true);
      expect(current.matches.map((m) => m.measureId)).toEqual(body.matches.filter((m) => m.status !== 'expired').map((m) => m.measureId));
      expect(current.matches.length).toBeGreaterThan(0);
    });

    it('is not yet in force before the Jing’an measures were published', async () => {
      const body = await match({ profile: TESTING_LAB, asOf: '2024-12-08' });
      expect(body.matches.find((m) => m.measureId === QUALITY)).toMatchObject({ status: 'not-yet-in-force' });
      const onTheDay = await match({ profile: TESTING_LAB, asOf: '2024-12-09' });
      expect(onTheDay.matches.find((m) => m.measureId === QUALITY)).toMatchObject({ status: 'in-force' });
      const lastDay = await match({ profile: TESTING_LAB, asOf: '2025-12-31' });
      expect(lastDay.matches.find((m) => m.measureId === QUALITY)).toMatchObject({ status: 'in-force' });
    });

    it('evaluated for Xuhui is a relocation scenario; with both districts each result says which it is', async () => {
      const xuhui = await match({ profile: TESTING_LAB, districts: ['xuhui'], asOf: '2025-06-01' });
      expect(xuhui.districts).toEqual(['xuhui']);
      expect(xuhui.matches.length).toBeGreaterThan(0);
      expect(xuhui.matches.every((m) => m.district === 'xuhui' && m.scenario === 'relocation')).toBe(true);
      expect(xuhui.nearMisses.every((m) => m.scenario === 'relocation')).toBe(true);
      const location = xuhui.matches[0].explanation.find((e) => e.fact === 'location.district');
      expect(location).toMatchObject({ values: ['xuhui'] });
      expect(location!.zh).toContain('迁入情景');
      expect(location!.en).toContain('relocation');

      const both = await match({ profile: TESTING_LAB, districts: ['jingan', 'xuhui'], asOf: '2025-06-01' });
      expect(both.districts).toEqual(['jingan', 'xuhui']);
      for (const m of both.matches) expect(m.scenario).toBe(m.district === 'jingan' ? 'current-location' : 'relocation');
      expect(both.matches.find((m) => m.measureId === QUALITY)).toMatchObject({ scenario: 'current-location' });
      expect(new Set(both.matches.map((m) => m.district))).toEqual(new Set(['jingan', 'xuhui']));
    });

    it('explains each condition that held, in zh and en, with the profile value that satisfied it', async () => {
      const body = await match({ profile: TESTING_LAB, asOf: '2025-06-01' });
      const quality = body.matches.find((m) => m.measureId === QUALITY)!;
      const byFact = Object.fromEntries(quality.explanation.map((e) => [e.fact, e]));
      expect(Object.keys(byFact).sort()).toEqual(['location.district', 'plans', 'roles', 'sectors']);
      expect(byFact['sectors']).toMatchObject({
        zh: '行业：专业服务/检验检测认证',
        values: ['professional-services/testing-certification'],
        text: '行业：专业服务/检验检测认证',
      });
      expect(byFact['sectors'].en).toMatch(/^Sector: Professional services\/Testing/);
      expect(byFact['location.district']).toMatchObject({ zh: '注册所在区：静安区', values: ['jingan'] });
      expect(byFact['roles'].zh).toBe('主体类型：专业服务机构');
      expect(byFact['plans']).toMatchObject({ values: ['international-standards'] });
      expect(byFact['plans'].zh).toMatch(/^发展计划：/);
      for (const e of quality.explanation) {
        expect(e.zh.length).toBeGreaterThan(0);
        expect(e.en.length).toBeGreaterThan(0);
        expect(e.condition.length).toBeGreaterThan(0);
      }
      expect(quality.factsUsed).toBe(3);
    });
  });

  describe('match result v1', () => {
    it('every match and near miss carries every field, plus specificity and kind', async () => {
      const body = await match({
        profile: {
          location: { district: 'outside-shanghai' },
          sectors: ['life-health/innovative-drugs', 'ai/robotics'],
          qualifications: ['high-tech-enterprise'],
          plans: ['relocate-in', 'set-up-rd-center'],
          talent: ['returnee'],
        },
        asOf: '2025-06-01',
      });
      expect(body.matches.length).toBeGreaterThan(10);
      for (const m of [...body.matches, ...body.nearMisses]) {
        const measure = measureById.get(m.measureId);
        expect(measure).toBeDefined();
        expect(DISTRICTS).toContain(m.district);
        expect(m.district).toBe(measure!.district);
        expect(m.title).toBe(measure!.title);
        expect(m.titleEn).toBe(measure!.titleEn);
        expect(['in-force', 'expired', 'not-yet-in-force', 'term-unknown']).toContain(m.status);
        expect(m).toHaveProperty('validTo', measure!.validity.validTo);
        expect(m.scenario).toBe('relocation');
        expect(m.specificity).toBe(measure!.specificity);
        expect(m.kind).toBe(measure!.kind);
      }
      for (const m of body.matches) {
        const measure = measureById.get(m.measureId)!;
        expect(m.departments.length).toBeGreaterThan(0);
        for (const d of m.departments) {
          expect(Object.keys(d).sort()).toEqual(['name', 'nameEn', 'source']);
          expect(d.name.length).toBeGreaterThan(0);
          expect(d.nameEn.length).toBeGreaterThan(0);
          expect(['document', 'inferred']).toContain(d.source);
        }
        expect(m.departments.map((d) => `${d.name}/${d.source}`)).toEqual(measure.departments.map((d) => `${d.name}/${d.source}`));
        expect(m.supportType.length).toBeGreaterThan(0);
        for (const s of m.supportType) expect(SUPPORT_TYPES).toContain(s);
        expect(m).toHaveProperty('validFrom', measure.validity.validFrom);
        for (const key of ['documentId', 'documentTitle', 'issuer', 'section', 'quote'] as const) expect(m.source[key].length).toBeGreaterThan(0);
        expect(m.source).toHaveProperty('issuedOn');
        expect(m.source.quote).toBe(measure.source.quote);
        expect(m.explanation.length).toBeGreaterThan(0);
        expect(m.status).toBe(m.district === 'qingpu' ? 'term-unknown' : 'in-force');
      }
      // A general measure is open to every enterprise in the district: its only condition is the location.
      const general = body.matches.filter((m) => m.specificity === 'general');
      expect(general.length).toBeGreaterThan(0);
      for (const g of general) expect(g.explanation.map((e) => e.fact)).toEqual(['location.district']);
    });

    it('orders matches: in force first, then targeted before general, then by how many facts the rule used', async () => {
      const body = await match({
        profile: {
          location: { district: 'other-shanghai' },
          sectors: ['professional-services/testing-certification', 'digital/big-data'],
          roles: ['professional-service-institution'],
          plans: ['international-standards', 'digital-transformation'],
          qualifications: ['high-tech-enterprise'],
        },
        asOf: '2025-06-01',
      });
      const m = body.matches;
      expect(new Set(m.map((x) => x.status))).toEqual(new Set(['in-force', 'term-unknown']));
      expect(new Set(m.map((x) => x.specificity))).toEqual(new Set(['targeted', 'general']));
      for (let i = 1; i < m.length; i++) {
        const [a, b] = [m[i - 1], m[i]];
        const byStatus = STATUS_RANK[a.status] - STATUS_RANK[b.status];
        expect(byStatus).toBeLessThanOrEqual(0);
        if (byStatus < 0) continue;
        if (a.kind !== b.kind) {
          expect(a.kind).toBe('measure');
          continue;
        }
        if (a.specificity !== b.specificity) {
          expect(a.specificity).toBe('targeted');
          continue;
        }
        expect(a.factsUsed).toBeGreaterThanOrEqual(b.factsUsed);
      }
      // Expired measures sort after every other status.
      const later = await match({
        profile: { location: { district: 'other-shanghai' }, roles: ['professional-service-institution'], plans: ['international-standards'] },
        asOf: '2026-06-01',
      });
      const ranks = later.matches.map((x) => STATUS_RANK[x.status]);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      expect(ranks).toContain(STATUS_RANK.expired);
    });

    it('defaults to the company’s own district, or to all three (as relocations) when it is elsewhere', async () => {
      for (const district of DISTRICTS) {
        const body = await match({ profile: { location: { district } }, asOf: '2025-06-01' });
        expect(body.districts).toEqual([district]);
        expect(body.matches.length).toBeGreaterThan(0);
        expect(body.matches.every((m) => m.district === district && m.scenario === 'current-location' && m.specificity === 'general')).toBe(true);
        expect(body.matches.map((m) => m.measureId).sort()).toEqual(
          catalog.measures
            .filter((m) => m.district === district && m.specificity === 'general' && m.kind === 'measure')
            .map((m) => m.id)
            .sort(),
        );
      }
      for (const district of ['other-shanghai', 'outside-shanghai']) {
        const body = await match({ profile: { location: { district } }, asOf: '2025-06-01' });
        expect(body.districts).toEqual([...DISTRICTS]);
        expect(new Set(body.matches.map((m) => m.district))).toEqual(new Set(DISTRICTS));
        expect(body.matches.every((m) => m.scenario === 'relocation')).toBe(true);
      }
    });

    it('says every worded item in the language asked for: `text` is the zh or en wording', async () => {
      const profile = {
        location: { district: 'jingan' },
        sectors: ['professional-services/testing-certification'],
        roles: ['professional-service-institution'],
      };
      const en = await match({ profile, asOf: '2025-06-01', lang: 'en' });
      const zh = await match({ profile, asOf: '2025-06-01' });
      const worded = (b: MatchBody): Worded[] => [
        ...b.matches.flatMap((m) => m.explanation),
        ...b.nearMisses.flatMap((n) => [...n.missing, ...n.failed]),
        ...b.questions,
      ];
      expect(worded(en).length).toBeGreaterThan(10);
      for (const w of worded(en)) expect(w.text).toBe(w.en);
      for (const w of worded(zh)) expect(w.text).toBe(w.zh);
      expect(en.matches.map((m) => m.measureId)).toEqual(zh.matches.map((m) => m.measureId));
      expect(en.questions[0].text).toMatch(/^[A-Z]/);
    });
  });

  describe('three-valued logic: unknown is not no', () => {
    it('a fact left out makes a near miss naming it, and the questions ask for it, ranked by what they decide', async () => {
      const { plans: _left, ...withoutPlans } = TESTING_LAB;
      const body = await match({ profile: withoutPlans, asOf: '2025-06-01', nearMissLimit: 100 });
      expect(body.nearMissesTotal).toBe(body.nearMisses.length);
      expect(body.matches.find((m) => m.measureId === QUALITY)).toBeUndefined();
      const near = body.nearMisses.find((n) => n.measureId === QUALITY);
      expect(near).toMatchObject({ reason: 'needs-info', failed: [], status: 'in-force', scenario: 'current-location' });
      expect(near!.missing.map((m) => m.fact)).toEqual(['plans']);
      expect(near!.missing[0]).toMatchObject({ zh: '发展计划', en: 'Plans' });
      expect(near!.missing[0].satisfiedBy).toContain('international-standards');
      // Lean: who is responsible and how far it is, not the record again.
      expect(near).not.toHaveProperty('departments');
      expect(near).not.toHaveProperty('source');
      expect(near).not.toHaveProperty('explanation');

      expect(body.questions.length).toBeGreaterThan(1);
      const plans = body.questions.find((q) => q.fact === 'plans');
      expect(plans).toBeDefined();
      expect(plans!.measureIds).toContain(QUALITY);
      expect(plans!.decides).toBe(plans!.measureIds.length);
      expect(plans!.options.find((o) => o.value === 'international-standards')?.measures).toBeGreaterThanOrEqual(1);
      const decides = body.questions.map((q) => q.decides);
      expect(decides).toEqual([...decides].sort((a, b) => b - a));
      for (const q of body.questions) {
        expect(q.zh.length).toBeGreaterThan(0);
        expect(q.en.length).toBeGreaterThan(0);
        // A question counts the near misses still in force (or of unstated term) that miss that fact.
        expect(q.decides).toBe(body.nearMisses.filter((n) => LIVE.has(n.status) && n.missing.some((m) => m.fact === q.fact)).length);
      }
      // Every near miss for unknown facts names a fact the profile left out.
      for (const n of body.nearMisses.filter((x) => x.reason === 'needs-info')) {
        for (const m of n.missing) expect(['sectors', 'roles', 'location.district']).not.toContain(m.fact);
      }
    });

    it('one failed known condition makes a near miss naming it, and what would satisfy it', async () => {
      const body = await match({ profile: { ...TESTING_LAB, plans: ['brand-building'] }, asOf: '2025-06-01', nearMissLimit: 100 });
      expect(body.matches.find((m) => m.measureId === QUALITY)).toBeUndefined();
      const near = body.nearMisses.find((n) => n.measureId === QUALITY);
      expect(near).toMatchObject({ reason: 'one-change', missing: [] });
      expect(near!.failed).toEqual([
        expect.objectContaining({
          condition: 'standard-setting',
          fact: 'plans',
          profileValue: ['brand-building'],
          satisfiedBy: ['international-standards'],
          detailNeeded: false,
        }),
      ]);
      expect(near!.failed[0].zh).toBe('发展计划包括：参与标准制修订');
      expect(near!.failed[0].en.length).toBeGreaterThan(0);
      // Two failed conditions are no near miss: a Jing'an company with neither the role nor the plan.
      const far = await match({
        profile: { location: { district: 'jingan' }, roles: ['chain-leader'], sectors: ['finance'], plans: ['brand-building'] },
        asOf: '2025-06-01',
      });
      expect([...far.matches, ...far.nearMisses].find((n) => n.measureId === QUALITY)).toBeUndefined();
    });

    it('a parent sector for a rule on a child fails on the sector (no near miss); the child satisfies a rule on its parent', async () => {
      const rule = 'xuhui-sti-innovative-drugs-biologics';
      const parent = await match({ profile: { location: { district: 'xuhui' }, sectors: ['life-health'] }, asOf: '2025-06-01', nearMissLimit: 100 });
      // Whatever its kind (a measure or a district priority), the rule holds for the child and not for the parent.
      const held = (b: MatchBody) => [
        ...b.matches.map((m) => ({ id: m.measureId, held: m.explanation })),
        ...b.priorities.map((p) => ({ id: p.measureId, held: p.names })),
      ];
      expect(held(parent).find((m) => m.id === rule)).toBeUndefined();
      expect(parent.nearMisses.find((n) => n.measureId === rule)).toBeUndefined();

      const child = await match({ profile: { location: { district: 'xuhui' }, sectors: ['life-health/innovative-drugs'] }, asOf: '2025-06-01' });
      expect(held(child).find((m) => m.id === rule)).toBeDefined();
      const parentRules = catalog.measures.filter((m) => m.district === 'xuhui' && m.sectors.includes('life-health'));
      expect(parentRules.length).toBeGreaterThan(0);
      const explained = held(child).filter((m) => parentRules.some((p) => p.id === m.id));
      expect(explained.length).toBeGreaterThan(0);
      for (const m of explained) expect(m.held.find((e) => e.fact === 'sectors')?.values).toEqual(['life-health/innovative-drugs']);
    });
  });

  describe('POST /match/compare', () => {
    it('sets the three districts side by side: counts, measures by department, and what only one offers', async () => {
      const res = expectNoLeak(await http().post('/api/v1/match/compare').send({ profile: TESTING_LAB, asOf: '2025-06-01' }).expect(200));
      const body = res.body as {
        rulesetVersion: string;
        evaluationId: string;
        asOf: string;
        districts: {
          district: string;
          scenario: string;
          counts: Record<string, number>;
          bySupportType: { supportType: string; measures: number; inForce: number }[];
          sectorPriorities: { measureId: string }[];
          byDepartment: { departmentId: string; name: string; nameEn: string; measures: { measureId: string; title: string; status: string }[] }[];
          onlyHere: { measureId: string; uniqueFacts: string[] }[];
        }[];
      };
      expect(res.headers['x-ruleset-version']).toBe(body.rulesetVersion);
      expect(body.evaluationId).toMatch(UUID);
      evaluationIds.push(body.evaluationId);
      expect(body.asOf).toBe('2025-06-01');
      expect(body.districts.map((d) => [d.district, d.scenario])).toEqual([
        ['xuhui', 'relocation'],
        ['jingan', 'current-location'],
        ['qingpu', 'relocation'],
      ]);
      for (const d of body.districts) {
        // The same numbers a match for that district alone gives.
        const alone = await match({ profile: TESTING_LAB, districts: [d.district], asOf: '2025-06-01' });
        expect(d.counts).toEqual({
          matches: alone.matches.length,
          inForce: alone.matches.filter((m) => m.status === 'in-force').length,
          termUnknown: alone.matches.filter((m) => m.status === 'term-unknown').length,
          expired: alone.matches.filter((m) => m.status === 'expired').length,
          targeted: alone.matches.filter((m) => m.specificity === 'targeted').length,
          general: alone.matches.filter((m) => m.specificity === 'general').length,
          nearMisses: alone.nearMissesTotal,
          priorities: alone.priorities.length,
        });
        // By support type: each match counted once per type it offers.
        expect(d.bySupportType.reduce((n, t) => n + t.measures, 0)).toBe(alone.matches.reduce((n, m) => n + m.supportType.length, 0));
        for (const p of d.sectorPriorities) expect(measureById.get(p.measureId)?.kind).toBe('priority');
        const grouped = new Set(d.byDepartment.flatMap((g) => g.measures.map((m) => m.measureId)));
        expect(grouped).toEqual(new Set(alone.matches.map((m) => m.measureId)));
        for (const u of d.onlyHere) {
          expect(grouped.has(u.measureId)).toBe(true);
          expect(u.uniqueFacts.length).toBeGreaterThan(0);
        }
      }
      const jingan = body.districts.find((d) => d.district === 'jingan')!;
      const justice = jingan.byDepartment.find((g) => g.name === '区司法局');
      expect(justice?.measures.map((m) => m.measureId)).toContain(QUALITY);
      expect(jingan.onlyHere.map((u) => u.measureId)).toContain(QUALITY);
    });
  });

  describe("every measure's own fixtures through POST /match", () => {
    const files = caseFiles();

    it('finds the fixtures of all five documents, a must and a must-not for every measure', () => {
      expect(files).toHaveLength(5);
      const covered = new Set(
        files.flatMap((f) =>
          Object.entries(f.cases)
            .filter(([, list]) => list.some((c) => c.expect === 'match') && list.some((c) => c.expect === 'no-match'))
            .map(([id]) => id),
        ),
      );
      expect([...covered].sort()).toEqual(catalog.measures.map((m) => m.id).sort());
    });

    it.each(files.map((f) => [f.file, f] as const))(
      '%s',
      async (_name, { cases }) => {
        const failures: string[] = [];
        let count = 0;
        for (const [id, list] of Object.entries(cases)) {
          const measure = measureById.get(id);
          if (!measure) {
            // An entry removed as no rule: no measure quoting its text matches the company that used to match it.
            for (const c of list) {
              count += 1;
              if (c.expect !== 'not-a-measure') failures.push(`${id}: no such measure`);
              const res = await http()
                .post('/api/v1/match')
                .send({ profile: c.profile, asOf: c.asOf ?? '2025-06-01' });
              if (res.status !== 200) failures.push(`${id} "${c.case}": HTTP ${res.status}`);
              else evaluationIds.push((res.body as MatchBody).evaluationId);
              if (res.status === 200)
                for (const m of (res.body as MatchBody).matches)
                  if (m.kind === 'measure' && quotesOverlap(m.source.quote, c.quote ?? ''))
                    failures.push(`${id} "${c.case}": ${m.measureId} matches as a measure`);
            }
            continue;
          }
          for (const c of list) {
            count += 1;
            const res = await http()
              .post('/api/v1/match')
              .send({ profile: c.profile, districts: [measure.district], asOf: c.asOf ?? dateInside(measure) });
            if (res.status !== 200) {
              failures.push(`${id} "${c.case}": HTTP ${res.status} ${res.text.slice(0, 200)}`);
              continue;
            }
            evaluationIds.push(res.body.evaluationId);
            // As the rule runner counts it: a match for the company where it is registered.
            const answer = res.body as MatchBody;
            const hit = [...answer.matches, ...answer.priorities].some((m) => m.measureId === id && m.scenario === 'current-location');
            if (hit !== (c.expect === 'match')) failures.push(`${id} "${c.case}": expected ${c.expect}, got ${hit ? 'match' : 'no-match'}`);
          }
        }
        expect(failures).toEqual([]);
        expect(count).toBeGreaterThan(0);
      },
      60_000,
    );
  });

  describe('audit', () => {
    const get = (id: string) => http().get(`/api/v1/evaluations/${id}`).set('Authorization', `Bearer ${TEST_ADMIN_KEY}`);

    it('records a match, readable by id at once and still the same once written to the database', async () => {
      const sent = { profile: TESTING_LAB, districts: ['jingan', 'xuhui'], asOf: '2025-06-01', includeExpired: true, lang: 'en' };
      const body = await match(sent, TEST_ADMIN_KEY);
      const queued = expectNoLeak(await get(body.evaluationId).expect(200)).body;
      expect(queued).toMatchObject({ id: body.evaluationId, kind: 'match', rulesetVersion: body.rulesetVersion, request: sent });
      expect(queued.summary).toMatchObject({ asOf: '2025-06-01', districts: ['jingan', 'xuhui'], nearMisses: body.nearMissesTotal });
      expect(queued.summary.matches).toEqual(body.matches.map((m) => m.measureId));
      expect(queued.summary.matches).toContain(QUALITY);
      expect(Number.isNaN(Date.parse(queued.createdAt))).toBe(false);

      const audit = t.app.get(AuditService);
      await audit.flush();
      expect(audit.stats()).toMatchObject({ queued: 0, dropped: 0, lastError: null });
      expect(audit.pending(body.evaluationId)).toBeUndefined();
      const stored = expectNoLeak(await get(body.evaluationId).set('X-API-Key', TEST_ADMIN_KEY).expect(200)).body;
      expect(stored).toEqual(queued);
    });

    it('records a comparison as kind compare', async () => {
      const res = await http().post('/api/v1/match/compare').set('X-API-Key', TEST_ADMIN_KEY).send({ profile: TESTING_LAB, asOf: '2025-06-01' }).expect(200);
      evaluationIds.push(res.body.evaluationId);
      const row = (await get(res.body.evaluationId).expect(200)).body;
      expect(row).toMatchObject({ kind: 'compare', rulesetVersion: catalog.version, request: { profile: TESTING_LAB, asOf: '2025-06-01' } });
      expect(Object.keys(row.summary.counts).sort()).toEqual([...DISTRICTS].sort());
    });

    it('flushes every queued evaluation on graceful shutdown', async () => {
      const burst = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          http()
            .post('/api/v1/match')
            .send({ profile: { location: { district: DISTRICTS[i % 3] }, plans: ['relocate-in'] }, asOf: '2025-06-01' })
            .expect(200),
        ),
      );
      for (const r of burst) evaluationIds.push(r.body.evaluationId);
      const audit = t.app.get(AuditService);
      expect(audit.stats().queued).toBeGreaterThanOrEqual(20); // the minute-long timer has not run

      closed = true;
      await t.app.close();
      expect(audit.stats()).toMatchObject({ queued: 0, dropped: 0 });
      expect(new Set(evaluationIds).size).toBe(evaluationIds.length);
      expect(audit.stats().written).toBeGreaterThanOrEqual(evaluationIds.length);

      if (t.url) {
        // On PostgreSQL the database outlives the app: count the rows with a connection of our own.
        const fresh = new DataSource(dataSourceOptions(t.url));
        await fresh.initialize();
        try {
          const [{ n }] = await fresh.query('SELECT count(*)::int AS n FROM evaluation WHERE id = ANY($1::uuid[])', [evaluationIds]);
          expect(n).toBe(evaluationIds.length);
          // Nothing else wrote to this database: every row is one the suite was given an id for.
          const [{ total }] = await fresh.query('SELECT count(*)::int AS total FROM evaluation');
          expect(total).toBe(evaluationIds.length);
        } finally {
          await fresh.destroy();
        }
      }
    }, 60_000);
  });
});
