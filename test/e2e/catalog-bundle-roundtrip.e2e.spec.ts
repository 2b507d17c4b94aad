import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import request from 'supertest';
import { loadCatalogContent, projectRoot } from '@matcher/catalog';
import { backends } from '../support/backends';
import { expectNoLeak } from '../support/http';
import { createTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { bearer } from './screenings.helpers';

/**
 * What `npm run catalog:bundle` makes of each shipped document is accepted as it is: a draft with no
 * findings and nothing changed, since it is the live version's own content.
 */

jest.setTimeout(180_000);

const run = promisify(execFile);
const DOCUMENTS = loadCatalogContent().documents.map((d) => d.id);

describe('shipped documents round-trip through catalog:bundle', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(backends()[0]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('ships five documents', () => {
    expect(DOCUMENTS).toHaveLength(5);
  });

  it.each(DOCUMENTS)('%s: 0 findings, an empty diff', async (id) => {
    const { stdout } = await run('npm', ['run', '--silent', 'catalog:bundle', '--', '--document', id], { cwd: projectRoot(), maxBuffer: 64 << 20 });
    const res = expectNoLeak(await request(t.app.getHttpServer()).post('/api/v1/catalog/drafts').set(bearer(TEST_ADMIN_KEY)).send(JSON.parse(stdout)));
    const body = res.body as {
      rulesetVersion: string;
      findings: unknown[];
      diff: { added: unknown[]; removed: unknown[]; changed: unknown[]; documents: { added: unknown[]; removed: unknown[]; changed: unknown[] } };
    };
    expect(body.findings).toEqual([]);
    expect(res.status).toBe(201);
    expect(body.diff).toMatchObject({ added: [], removed: [], changed: [], documents: { added: [], removed: [], changed: [] } });
    expect(res.headers['x-ruleset-version'] ?? body.rulesetVersion).toBe(body.rulesetVersion);
  });
});
