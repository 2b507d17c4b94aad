/**
 * The API contract (libs/contracts) against what the server really sends. Each table below lists the keys of a
 * contract type, marked required or optional; the compiler holds the table to the type (a key missing, extra or
 * marked wrongly is a type error), and the test holds the JSON to the table: no key the contract does not
 * declare, every required key present. So the types cannot drift from the answers unnoticed.
 */
import request from 'supertest';
import type {
  CompareResponse,
  DepartmentList,
  DepartmentSummary,
  DistrictComparison,
  DocumentDetail,
  HealthReport,
  MatchedMeasure,
  MatchResponse,
  MeasureDetail,
  MeasureItem,
  MeasureList,
  NearMissResult,
  SignedInOfficer,
  Taxonomy,
  TaxonomyField,
  VersionList,
  VersionSummary,
} from '@matcher/contracts';
import { backends } from '../support/backends';
import { createTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

/** Every key of T, and whether T requires it. */
type Keys<T> = { [K in keyof Required<T>]: Partial<Pick<T, K>> extends Pick<T, K> ? 'optional' : 'required' };

/** The keys the JSON has that the contract lacks, and the required keys it misses: both empty when they agree. */
function drift<T>(value: unknown, keys: Keys<T>): { undeclared: string[]; missing: string[] } {
  const present = Object.keys(value as object);
  const table = keys as Record<string, string>;
  return {
    undeclared: present.filter((k) => !(k in table)),
    missing: Object.keys(table).filter((k) => table[k] === 'required' && !present.includes(k)),
  };
}
const agrees = { undeclared: [], missing: [] };

const MEASURE: Keys<MeasureItem> = {
  id: 'required',
  district: 'required',
  title: 'required',
  titleEn: 'required',
  summary: 'required',
  summaryEn: 'required',
  departments: 'required',
  source: 'required',
  supportType: 'required',
  validity: 'required',
  kind: 'required',
  precision: 'optional',
  precisionNote: 'optional',
  precisionNoteEn: 'optional',
  specificity: 'required',
  facts: 'required',
  sectors: 'required',
  application: 'optional',
  basis: 'optional',
  replaces: 'optional',
  successors: 'optional',
  status: 'required',
  asOf: 'required',
};

const MATCHED: Keys<MatchedMeasure> = {
  measureId: 'required',
  district: 'required',
  title: 'required',
  titleEn: 'required',
  departments: 'required',
  source: 'required',
  supportType: 'required',
  kind: 'required',
  status: 'required',
  validFrom: 'required',
  validTo: 'required',
  scenario: 'required',
  specificity: 'required',
  explanation: 'required',
  factsUsed: 'required',
  precision: 'optional',
  precisionNote: 'optional',
  precisionNoteEn: 'optional',
  application: 'optional',
  successors: 'optional',
  anyOf: 'optional',
  endsInDays: 'optional',
};

const NEAR_MISS: Keys<NearMissResult> = {
  measureId: 'required',
  district: 'required',
  title: 'required',
  titleEn: 'required',
  kind: 'required',
  status: 'required',
  validTo: 'required',
  scenario: 'required',
  specificity: 'required',
  factsUsed: 'required',
  reason: 'required',
  missing: 'required',
  failed: 'required',
  precision: 'optional',
  precisionNote: 'optional',
  precisionNoteEn: 'optional',
  application: 'optional',
  successors: 'optional',
  anyOf: 'optional',
  endsInDays: 'optional',
};

const PROFILE = { location: { district: 'jingan' }, sectors: ['professional-services/testing-certification'], plans: ['international-standards'] };

describe('the API contract and the answers', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await createTestApp(backends()[0]);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('catalog: measures, a measure, a document, departments, taxonomy', async () => {
    const list = (await http().get('/api/v1/measures?limit=500').expect(200)).body as MeasureList;
    expect(drift<MeasureList>(list, { total: 'required', limit: 'required', offset: 'required', asOf: 'required', items: 'required' })).toEqual(agrees);
    expect(list.items.length).toBeGreaterThan(100);
    for (const m of list.items) expect(drift<MeasureItem>(m, MEASURE)).toEqual(agrees);

    const detail = (await http().get(`/api/v1/measures/${list.items[0].id}`).expect(200)).body as MeasureDetail;
    expect(drift<MeasureDetail>(detail, { ...MEASURE, rule: 'required', sourceParagraph: 'required', quoteRange: 'required' })).toEqual(agrees);

    const doc = (await http().get(`/api/v1/documents/${list.items[0].source.documentId}`).expect(200)).body as DocumentDetail;
    expect(
      drift<DocumentDetail>(doc, {
        id: 'required',
        district: 'required',
        title: 'required',
        titleEn: 'required',
        issuer: 'required',
        issuerEn: 'required',
        issuedOn: 'required',
        reference: 'required',
        term: 'required',
        termEn: 'required',
        validFrom: 'required',
        validTo: 'required',
        validityBasis: 'required',
        supersedes: 'optional',
        fullText: 'required',
        measures: 'required',
      }),
    ).toEqual(agrees);

    const departments = (await http().get('/api/v1/departments').expect(200)).body as DepartmentList;
    expect(drift<DepartmentList>(departments, { total: 'required', items: 'required' })).toEqual(agrees);
    for (const d of departments.items)
      expect(
        drift<DepartmentSummary>(d, { id: 'required', district: 'required', name: 'required', fullName: 'required', nameEn: 'required', measures: 'required' }),
      ).toEqual(agrees);

    const taxonomy = (await http().get('/api/v1/taxonomy').expect(200)).body as Taxonomy;
    expect(
      drift<Taxonomy>(taxonomy, { profileVersion: 'required', fields: 'required', districts: 'required', supportTypes: 'required', statuses: 'required' }),
    ).toEqual(agrees);
    const FIELD: Keys<TaxonomyField> = {
      key: 'required',
      kind: 'required',
      section: 'required',
      zh: 'required',
      en: 'required',
      hintZh: 'required',
      hintEn: 'required',
      unit: 'optional',
      headerAliases: 'required',
      codes: 'optional',
      ambiguous: 'optional',
    };
    for (const f of taxonomy.fields) expect(drift<TaxonomyField>(f, FIELD)).toEqual(agrees);
  });

  it('POST /match and POST /match/compare', async () => {
    const match = (await http().post('/api/v1/match').send({ profile: PROFILE, asOf: '2025-06-01', lang: 'en' }).expect(200)).body as MatchResponse;
    expect(
      drift<MatchResponse>(match, {
        rulesetVersion: 'required',
        evaluationId: 'required',
        lang: 'required',
        asOf: 'required',
        districts: 'required',
        matches: 'required',
        priorities: 'required',
        nearMisses: 'required',
        nearMissesTotal: 'required',
        questions: 'required',
        summary: 'required',
      }),
    ).toEqual(agrees);
    expect(match.matches.length).toBeGreaterThan(0);
    expect(match.nearMisses.length).toBeGreaterThan(0);
    for (const m of match.matches) expect(drift<MatchedMeasure>(m, MATCHED)).toEqual(agrees);
    for (const n of match.nearMisses) expect(drift<NearMissResult>(n, NEAR_MISS)).toEqual(agrees);

    const compare = (await http().post('/api/v1/match/compare').send({ profile: PROFILE, asOf: '2025-06-01' }).expect(200)).body as CompareResponse;
    expect(
      drift<CompareResponse>(compare, { rulesetVersion: 'required', evaluationId: 'required', asOf: 'required', districts: 'required', verdict: 'required' }),
    ).toEqual(agrees);
    const DISTRICT: Keys<DistrictComparison> = {
      district: 'required',
      scenario: 'required',
      counts: 'required',
      bySupportType: 'required',
      byDepartment: 'required',
      onlyHere: 'required',
      sectorPriorities: 'required',
    };
    for (const d of compare.districts) expect(drift<DistrictComparison>(d, DISTRICT)).toEqual(agrees);
  });

  it('health, the signed-in officer and the catalog versions', async () => {
    const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
    const health = (await http().get('/api/v1/health').expect(200)).body as HealthReport;
    expect(
      drift<HealthReport>(health, {
        status: 'required',
        rulesetVersion: 'required',
        measures: 'required',
        database: 'required',
        audit: 'required',
        retention: 'required',
      }),
    ).toEqual(agrees);

    const me = (await http().get('/api/v1/officers/me').set(admin).expect(200)).body as SignedInOfficer;
    expect(drift<SignedInOfficer>(me, { id: 'required', name: 'required', role: 'required', keyId: 'required' })).toEqual(agrees);

    const versions = (await http().get('/api/v1/catalog/versions').set(admin).expect(200)).body as VersionList;
    expect(drift<VersionList>(versions, { live: 'required', items: 'required', activations: 'required' })).toEqual(agrees);
    const VERSION: Keys<VersionSummary> = {
      rulesetVersion: 'required',
      live: 'required',
      origin: 'required',
      basedOn: 'required',
      description: 'required',
      measures: 'required',
      documents: 'required',
      createdAt: 'required',
      createdBy: 'required',
      publishedAt: 'required',
      publishedBy: 'required',
      publisherName: 'required',
    };
    expect(versions.items.length).toBeGreaterThan(0);
    for (const v of versions.items) {
      expect(drift<VersionSummary>(v, VERSION)).toEqual(agrees);
      // Timestamps are strings on the wire, as the contract says.
      expect(typeof v.createdAt).toBe('string');
    }
  });
});
