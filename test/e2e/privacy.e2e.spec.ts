import { Writable } from 'node:stream';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { usccCheckCharacter } from '@matcher/catalog';
import { AuditService } from '../../apps/api/src/audit/audit.service';
import { backends } from '../support/backends';
import { expectProblem } from '../support/http';
import { createTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

const NAME = '上海隐私测试检测技术有限公司';
const FIRST17 = '91310106MA1FL4TX8';
const USCC = `${FIRST17}${usccCheckCharacter(FIRST17)}`;
const FACTS = { location: { district: 'jingan' }, sectors: ['professional-services/testing-certification'], plans: ['international-standards'] };

/** Everything the request log receives, as one string. */
class LogSink extends Writable {
  text = '';
  _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

describe.each(backends())('privacy of the public match on $name', (backend) => {
  let t: TestApp;
  const log = new LogSink();
  let officerKey: string;
  let otherKey: string;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    // The most talkative log level: nothing identifying may reach the log even there.
    t = await createTestApp(backend, { LOG_LEVEL: 'trace' }, { logStream: log });
    const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
    officerKey = (await http().post('/api/v1/officers').set(admin).send({ name: 'Officer A' }).expect(201)).body.key;
    otherKey = (await http().post('/api/v1/officers').set(admin).send({ name: 'Officer B' }).expect(201)).body.key;
  }, 60_000);
  afterAll(async () => t?.close());

  /** The stored row, read with SQL once the audit queue is written. */
  const storedRow = async (id: string): Promise<Record<string, unknown> | undefined> => {
    await t.app.get(AuditService).flush();
    const rows = await t.app.get(DataSource).query<Record<string, unknown>[]>('SELECT * FROM evaluation WHERE id = $1', [id]);
    return rows[0];
  };

  it.each([
    ['/api/v1/match', 'match'],
    ['/api/v1/match/compare', 'compare'],
  ])('%s sent with a name and credit code stores and logs neither; the facts stay', async (path, kind) => {
    const res = await http()
      .post(path)
      .send({ profile: { name: NAME, uscc: USCC, ...FACTS }, asOf: '2025-06-01' })
      .expect(200);
    expect(res.text).not.toContain(NAME);
    const row = await storedRow(res.body.evaluationId as string);
    expect(row).toMatchObject({ kind, officer_id: null, request: { profile: FACTS, asOf: '2025-06-01' } });
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(NAME);
    expect(stored).not.toContain(USCC);
    expect(log.text).toContain(path); // the request was logged …
    expect(log.text).not.toContain(NAME); // … without who sent it
    expect(log.text).not.toContain(USCC);
  });

  it('keeps the answer reproducible: the facts, the answer’s ids and the ruleset version', async () => {
    const res = await http().post('/api/v1/match').send({ profile: FACTS, asOf: '2025-06-01' }).expect(200);
    const row = (await storedRow(res.body.evaluationId as string))!;
    expect(row.ruleset_version).toBe(res.body.rulesetVersion);
    expect((row.summary as { matches: string[] }).matches).toEqual((res.body.matches as { measureId: string }[]).map((m) => m.measureId));
    const again = await http()
      .post('/api/v1/match')
      .send(row.request as object)
      .expect(200);
    expect(again.body.matches).toEqual(res.body.matches);
  });

  it('an officer cannot read a public evaluation, nor another officer’s; an officer reads their own', async () => {
    const publicId = (await http().post('/api/v1/match').send({ profile: FACTS, asOf: '2025-06-01' }).expect(200)).body.evaluationId as string;
    expectProblem(await http().get(`/api/v1/evaluations/${publicId}`).set('X-API-Key', officerKey), 404);
    expectProblem(await http().get(`/api/v1/evaluations/${publicId}`).set('Authorization', `Bearer ${TEST_ADMIN_KEY}`), 404);

    const own = await http()
      .post('/api/v1/match')
      .set('X-API-Key', officerKey)
      .send({ profile: { name: NAME, ...FACTS }, asOf: '2025-06-01' })
      .expect(200);
    const mine = await http().get(`/api/v1/evaluations/${own.body.evaluationId}`).set('X-API-Key', officerKey).expect(200);
    expect(mine.body).toMatchObject({ kind: 'match', request: { profile: FACTS } });
    expect(mine.text).not.toContain(NAME);
    expect(mine.body).not.toHaveProperty('officerId');
    expectProblem(await http().get(`/api/v1/evaluations/${own.body.evaluationId}`).set('X-API-Key', otherKey), 404);
    expectProblem(await http().get(`/api/v1/evaluations/${own.body.evaluationId}`).set('Authorization', `Bearer ${TEST_ADMIN_KEY}`), 404);

    // Still so once written to the database.
    await t.app.get(AuditService).flush();
    await http().get(`/api/v1/evaluations/${own.body.evaluationId}`).set('X-API-Key', officerKey).expect(200);
    expectProblem(await http().get(`/api/v1/evaluations/${publicId}`).set('X-API-Key', officerKey), 404);
  });

  it('a wrong key on the open match makes it a public one, not a failure', async () => {
    const res = await http().post('/api/v1/match').set('X-API-Key', 'pm_thisKeyWasNeverIssuedToAnyoneAtAll123').send({ profile: FACTS }).expect(200);
    expect((await storedRow(res.body.evaluationId as string))?.officer_id).toBeNull();
  });
});
