import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EvaluationEntity, EvaluationRepository } from '@matcher/persistence';
import { RetentionService } from '../../apps/api/src/retention/retention.service';
import { backends } from '../support/backends';
import { createTestApp, type TestApp } from '../support/test-app';
import { bearer, createOfficer, upload, waitFor } from './screenings.helpers';

const DAY_MS = 24 * 60 * 60_000;

describe.each(backends())('retention on $name', (backend) => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    // A short screening retention, so that a screening can be made "old" by moving its clock a few days back.
    t = await createTestApp(backend, { AUDIT_RETENTION_DAYS: 90, SCREENING_RETENTION_DAYS: 30 });
  }, 120_000);
  afterAll(async () => t?.close(), 60_000);

  const count = async (sql: string, params: unknown[]): Promise<number> => {
    const [{ n }] = await t.app.get(DataSource).query<{ n: number }[]>(sql, params);
    return n;
  };

  /** Runs the retention job the way this database schedules it, and waits until `gone` holds. */
  async function retentionUntil(gone: () => Promise<boolean>): Promise<void> {
    await t.app.get(RetentionService).runNow();
    const until = Date.now() + 60_000;
    while (!(await gone())) {
      if (Date.now() > until) throw new Error('the retention job did not run within 60 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('schedules the job as the screenings are run: pg-boss on PostgreSQL, a timer on the embedded database', () => {
    expect(t.app.get(RetentionService).kind).toBe(backend.name === 'postgres' ? 'pg-boss' : 'timer');
  });

  it('deletes evaluations older than AUDIT_RETENTION_DAYS and keeps the others', async () => {
    const now = Date.now();
    const row = (ageDays: number): EvaluationEntity =>
      Object.assign(new EvaluationEntity(), {
        id: randomUUID(),
        createdAt: new Date(now - ageDays * DAY_MS),
        kind: 'match',
        rulesetVersion: 'v',
        officerId: null,
        request: { profile: { location: { district: 'jingan' } } },
        summary: {},
      });
    const old = row(91);
    const recent = row(89);
    await t.app.get(EvaluationRepository).insert([old, recent]);
    await retentionUntil(async () => (await count('SELECT count(*)::int AS n FROM evaluation WHERE id = $1', [old.id])) === 0);
    expect(await count('SELECT count(*)::int AS n FROM evaluation WHERE id = $1', [recent.id])).toBe(1);
  }, 90_000);

  it('deletes a finished screening past SCREENING_RETENTION_DAYS with its rows and results', async () => {
    const { key } = await createOfficer(t.app, `retention-${backend.name}`);
    const csv = '企业名称,所在区,行业\n甲,静安,人工智能\n乙,徐汇,生物医药\n';
    const made = await upload(t.app, key, csv, 'old.csv').expect(202);
    const id = made.body.id as string;
    await waitFor(t.app, key, id);
    const kept = (await upload(t.app, key, csv, 'new.csv').expect(202)).body.id as string;
    await waitFor(t.app, key, kept);
    expect(await count('SELECT count(*)::int AS n FROM screening_prospect WHERE screening_id = $1', [id])).toBe(2);

    await t.app.get(DataSource).query(`UPDATE screening SET updated_at = now() - interval '31 days' WHERE id = $1`, [id]);
    await retentionUntil(async () => (await count('SELECT count(*)::int AS n FROM screening WHERE id = $1', [id])) === 0);
    expect(await count('SELECT count(*)::int AS n FROM screening_prospect WHERE screening_id = $1', [id])).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM screening_result WHERE screening_id = $1', [id])).toBe(0);
    expect((await http().get(`/api/v1/screenings/${id}`).set(bearer(key))).status).toBe(404);
    await http().get(`/api/v1/screenings/${kept}`).set(bearer(key)).expect(200);
  }, 120_000);
});
