import request from 'supertest';
import { loadCatalog } from '@matcher/catalog';
import type { MatchResponse, MeasureDetail, RuleWords } from '@matcher/contracts';
import { generateRequestBodies } from '../../scripts/bench/profiles';
import { backends } from '../support/backends';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Every condition of a measure stands on words of its text, and the answer shows them: "why it matched", a near
 * miss's failed and missing facts, and the measure page's rule-in-words carry the catalog's basis phrase per
 * condition, so a company can check a match itself.
 */

jest.setTimeout(60_000);

const catalog = loadCatalog();
const measures = new Map(catalog.measures.map((m) => [m.id, m]));
const ASOF = '2025-06-01';

function phrase(measureId: string, condition: string): string | undefined {
  return measures.get(measureId)?.basis?.conditions[condition];
}

function conditionsOf(node: RuleWords): Extract<RuleWords, { kind: 'condition' }>[] {
  return node.kind === 'condition' ? [node] : node.children.flatMap(conditionsOf);
}

/** A Qingpu software firm that plans smart transformation and says nothing of its role: the text rewards 工业企业 only. */
const QINGPU_SOFTWARE = { location: { district: 'qingpu' }, sectors: ['digital/software'], plans: ['smart-transformation'] };

describe.each(backends().slice(0, 1))('the basis of each condition, on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(backend);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  }, 60_000);

  const http = () => request(t.app.getHttpServer());
  async function match(body: Record<string, unknown>): Promise<MatchResponse> {
    const res = await http().post('/api/v1/match').send(body);
    expect(res.status).toBe(200);
    return res.body as MatchResponse;
  }

  it('every held, failed and missing condition of a measure carries its words of the text, on 60 generated profiles', async () => {
    let held = 0;
    let failed = 0;
    let missing = 0;
    for (const body of generateRequestBodies(60, 7)) {
      const a = await match({ ...body, asOf: ASOF, nearMissLimit: 100 });
      for (const m of a.matches)
        for (const e of m.explanation) {
          if (e.fact === 'location.district') continue;
          expect({ id: m.measureId, condition: e.condition, basis: e.basis }).toEqual({
            id: m.measureId,
            condition: e.condition,
            basis: phrase(m.measureId, e.condition),
          });
          expect(e.basis).toBeTruthy();
          held++;
        }
      for (const n of a.nearMisses) {
        for (const f of n.failed) {
          expect(f.basis).toBe(phrase(n.measureId, f.condition));
          expect(f.basis).toBeTruthy();
          failed++;
        }
        for (const x of n.missing) {
          if (x.fact === 'location.district') continue;
          expect(x.basis).toBeTruthy();
          for (const part of (x.basis as string).split('、'))
            expect(Object.values(measures.get(n.measureId)?.basis?.conditions ?? {}).some((p) => p.includes(part))).toBe(true);
          missing++;
        }
      }
    }
    expect(held).toBeGreaterThan(0);
    expect(failed + missing).toBeGreaterThan(0);
  });

  it('a software firm does not match the reward for 工业企业 that plan a smart-transformation diagnosis, and is told the words', async () => {
    const provider = await match({ profile: { ...QINGPU_SOFTWARE, roles: ['digital-solution-provider'] }, asOf: ASOF, nearMissLimit: 100 });
    expect(provider.matches.map((m) => m.measureId)).not.toContain('qingpu-168-smart-transformation-diagnosis');
    // Not a near miss either: being an industrial enterprise is not a change a software firm can make.
    expect(provider.nearMisses.map((m) => m.measureId)).not.toContain('qingpu-168-smart-transformation-diagnosis');

    const a = await match({ profile: QINGPU_SOFTWARE, asOf: ASOF, nearMissLimit: 100 });
    expect(a.matches.map((m) => m.measureId)).not.toContain('qingpu-168-smart-transformation-diagnosis');
    const near = a.nearMisses.find((n) => n.measureId === 'qingpu-168-smart-transformation-diagnosis');
    expect(near).toBeDefined();
    const words = [...(near?.missing ?? []), ...(near?.failed ?? [])].map((x) => x.basis ?? '');
    expect(words.some((w) => w.includes('工业企业'))).toBe(true);

    const industrial = await match({
      profile: { ...QINGPU_SOFTWARE, sectors: ['manufacturing/intelligent-equipment'], additionalRoles: ['industrial-enterprise'] },
      asOf: ASOF,
    });
    const hit = industrial.matches.find((m) => m.measureId === 'qingpu-168-smart-transformation-diagnosis');
    expect(hit?.explanation.map((e) => e.basis).filter(Boolean)).toEqual(expect.arrayContaining([expect.stringContaining('工业企业')]));
  });

  it('the measure page shows the words of the text beside each condition', async () => {
    const res = await http().get('/api/v1/measures/qingpu-168-smart-transformation-diagnosis');
    expect(res.status).toBe(200);
    const detail = res.body as MeasureDetail;
    const leaves = conditionsOf(detail.rule).filter((c) => c.fact !== 'location.district');
    expect(leaves.length).toBeGreaterThan(0);
    for (const c of leaves) expect(c.basis).toBe(phrase(detail.id, c.name));
    expect(detail.basis?.supportTypes).toEqual(measures.get(detail.id)?.basis?.supportTypes);
  });
});
