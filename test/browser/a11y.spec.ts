import type { Page } from 'playwright-core';
import { TEST_ADMIN_KEY } from '../support/test-app';
import { openPage, useBrowserSession } from './support/browser';
import type { PageDocument } from './support/page-globals';

declare const document: PageDocument, axe: { run(context: PageDocument, options: { resultTypes: string[] }): Promise<unknown> };

/** axe-core (the package, injected through playwright) on every route of the web app: no violations. */
jest.setTimeout(180_000);

const session = useBrowserSession();

const share = (request: Record<string, unknown>): string => `#p=${Buffer.from(JSON.stringify(request), 'utf8').toString('base64url')}`;
const PROFILE = { profile: { location: { district: 'jingan' }, sectors: ['ai/models-algorithms'], plans: ['set-up-rd-center'] }, asOf: '2025-06-01' };

const ROUTES: [string, string, string][] = [
  ['match form', '/', '#f-location-district'],
  ['match results', `/${share(PROFILE)}`, '[data-testid="summary"]'],
  ['compare', `/compare${share(PROFILE)}`, '[data-testid="verdict"]'],
  ['catalog', '/measures', '.measure-item'],
  ['measure', '/measures/jingan-2024-professional-services-quality', '.rule-tree'],
  ['document', '/documents/jingan-modern-industry-measures-2024?measure=jingan-2024-professional-services-quality#quote', '.full-text'],
  ['officer desk', '/officer', 'h1'],
  ['not found', '/no-such-page', 'h1'],
];

async function violations(page: Page): Promise<string[]> {
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"], .loading'));
  await page.addScriptTag({ path: require.resolve('axe-core') });
  const result = (await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }))) as {
    violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
  };
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`,
  );
}

describe.each(ROUTES)('%s', (_name, path, ready) => {
  it('has no axe violations', async () => {
    const { page, context, problems } = await openPage(session.browser, { bypassCSP: true });
    try {
      await page.goto(`${session.app.url}${path}`);
      await page.locator(ready).first().waitFor();
      expect(await violations(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('signed in: the officer desk and 政策管理', () => {
  const CSV = [
    '企业名称,统一社会信用代码,所在区,行业,主体类型,发展计划,是否高新技术企业',
    '上海甲检测技术有限公司,,静安区,检验检测认证,专业服务机构,参与标准制修订,是',
  ].join('\r\n');

  it('has no axe violations on the desk, a screening, its measure filter, a prospect and the admin page', async () => {
    const { page, context, problems } = await openPage(session.browser, { bypassCSP: true });
    try {
      await page.goto(`${session.app.url}/officer`);
      await page.getByLabel('访问密钥').fill(TEST_ADMIN_KEY);
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByText(/已登录/).waitFor();
      expect(await violations(page)).toEqual([]);

      await page.getByLabel('企业名单（CSV 或 XLSX）').setInputFiles({ name: 'a11y.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
      await page.getByLabel('名称', { exact: true }).fill('无障碍检查');
      await page.getByRole('button', { name: '读取并检查' }).click();
      await page.locator('.mapping-step').waitFor();
      expect(await violations(page)).toEqual([]);
      await page.getByRole('button', { name: '开始筛选' }).click();
      await page.waitForURL(/\/officer\/screenings\/[0-9a-f-]{36}$/);
      await page.locator('h1 .badge-state-completed').waitFor({ timeout: 60_000 });
      await page.locator('.results-table tbody tr').first().waitFor();
      expect(await violations(page)).toEqual([]);
      await page.getByLabel('政策', { exact: true }).fill('专业服务');
      await page.locator('.measure-option').first().waitFor();
      expect(await violations(page)).toEqual([]);
      await page.getByLabel('政策', { exact: true }).fill('');

      await page.getByRole('link', { name: '上海甲检测技术有限公司' }).click();
      await page.locator('.card').first().waitFor();
      expect(await violations(page)).toEqual([]);

      await page.goto(`${session.app.url}/admin`);
      await page.getByRole('heading', { name: '政策管理', level: 1 }).waitFor();
      await page.locator('table.versions tbody tr').first().waitFor();
      expect(await violations(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
