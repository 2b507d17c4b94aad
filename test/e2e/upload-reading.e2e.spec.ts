import { healthDuring } from '../support/health-probe';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { backends } from '../support/backends';
import { expectProblem } from '../support/http';
import { createTestApp, type TestApp } from '../support/test-app';
import { bearer, createOfficer, upload } from './screenings.helpers';

/**
 * Uploads are read in the worker pool: decoding, parsing and a profile per row happen off the request thread (which
 * only writes the rows of an import), so /health answers while a large list is read, and a read past its deadline
 * ends with 422 saying so.
 */
jest.setTimeout(180_000);

/** `rows` prospects of three columns, one in ten in a district no code matches. */
function largeCsv(rows: number): Buffer {
  const lines = ['企业名称,所在区,员工人数'];
  for (let i = 0; i < rows; i++) lines.push(`上海测试科技有限公司${i},${i % 10 === 0 ? '火星区' : 'jingan'},${10 + (i % 500)}`);
  return Buffer.from(lines.join('\n') + '\n');
}

const preview = (t: TestApp, key: string, file: Buffer, lang = 'zh') =>
  request(t.app.getHttpServer()).post('/api/v1/screenings/preview').set(bearer(key)).set('Accept-Language', lang).attach('file', file, 'large.csv');

describe('a large CSV previewed off the request thread', () => {
  let t: TestApp;
  let key: string;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp(backends()[0]);
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    key = (await createOfficer(t.app, 'reading')).key;
  }, 60_000);
  afterAll(async () => t?.close(), 60_000);

  it('100,000 rows are read and analysed in the pool: the request thread mostly idle, /health within 1 s', async () => {
    const file = largeCsv(100_000);
    const t0 = performance.now();
    const busy0 = performance.eventLoopUtilization();
    const { result: res, slowestMs: slowest, probes, statuses } = await healthDuring(base, () => preview(t, key, file));
    // The share of the wait this thread spent running code: the reading itself is elsewhere.
    const busy = performance.eventLoopUtilization(busy0).utilization;
    const took = performance.now() - t0;
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ format: 'csv', encoding: 'utf-8', rowsTotal: 100_000 });
    // Every tenth district matches no code: shown once as a value to fix, counted on all its rows, and those rows fail.
    const unknown = (res.body.values as { value: string; count: number }[]).find((v) => v.value === '火星区');
    expect(unknown?.count).toBe(10_000);
    expect(res.body.rowsFailed).toBeGreaterThanOrEqual(10_000);
    expect(res.body.rowsValid + res.body.rowsFailed).toBe(100_000);
    process.stdout.write(
      `100,000-row CSV preview: ${took.toFixed(0)} ms, request thread busy ${(busy * 100).toFixed(0)}%, ${probes} /health probes, slowest ${slowest.toFixed(0)} ms\n`,
    );
    expect(probes).toBeGreaterThan(1);
    expect(slowest).toBeLessThan(1000);
    // Read on this thread (in slices), the same preview kept it busy most of the time.
    expect(busy).toBeLessThan(0.5);
  });

  it('an import of 30,000 rows is read in the pool and written here, /health answering within 1 s', async () => {
    const file = largeCsv(30_000);
    const { result: res, slowestMs: slowest } = await healthDuring(base, () => upload(t.app, key, file, 'large.csv'));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ rowsTotal: 30_000, rowsFailed: 3_000 });
    process.stdout.write(`30,000-row CSV import: /health slowest ${slowest.toFixed(0)} ms\n`);
    expect(slowest).toBeLessThan(1000);
  });
});

describe('a CSV preview past its deadline', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await createTestApp(backends()[0], { SCREENING_READ_SECONDS: 1 });
    key = (await createOfficer(t.app, 'slow-reading')).key;
  }, 60_000);
  afterAll(async () => t?.close(), 60_000);

  it('answers 422 naming the limit, in the officer’s language', async () => {
    const file = largeCsv(200_000);
    expectProblem(await preview(t, key, file), 422, 'file', /读取文件超过 1 秒的时限/);
    const en = await preview(t, key, file, 'en');
    expectProblem(en, 422, 'file', /Reading the file took longer than 1 s, the limit/);
    expect(en.body).toMatchObject({ type: 'about:blank#file-too-slow', limit: 1 });
  });
});
