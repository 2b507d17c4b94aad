import { join } from 'node:path';
import { bundleFromFiles, projectRoot } from '@matcher/catalog';
import { TEST_ADMIN_KEY } from '../support/test-app';
import { screenshot, useBrowserSession } from './support/browser';

// Functions given to waitForFunction run in the page; the test tsconfig has no DOM lib.
declare const document: { querySelectorAll(s: string): { length: number }; querySelector(s: string): { innerText: string } | null };

/**
 * 政策管理 in a real browser: sign in as an administrator, upload a bundle with a wrong quote and a failing case
 * (both findings shown on their document and measure), upload the corrected bundle (a synthetic 2026 test
 * fixture, not a real policy), read its diff and impact, try a profile against it, publish, and roll back.
 */
jest.setTimeout(180_000);

const session = useBrowserSession();
const good = bundleFromFiles(join(projectRoot(), 'test', 'fixtures', 'catalog-2026'));
const bad = structuredClone(good);
bad.documents![0].rules[0].event.params.source.quote = '由区商务委给予最高80万元资助。';
bad.documents![0].cases['jingan-tf26-ai-talent-housing'][1].expect = 'match';
const file = (name: string, value: unknown) => ({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(value), 'utf8') });

describe('政策管理', () => {
  it('signs in as an administrator and lists the shipped version as live', async () => {
    await session.page.goto(`${session.app.url}/admin`);
    await session.page.getByLabel('访问密钥').fill(TEST_ADMIN_KEY);
    await session.page.getByRole('button', { name: '登录' }).click();
    await session.page.getByRole('heading', { name: '政策管理', level: 1 }).waitFor();
    const rows = session.page.locator('table.versions tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('现行');
  });

  it('shows the findings of a bad bundle, each on its document and measure', async () => {
    await session.page.getByLabel('选择政策包文件').setInputFiles(file('bad.json', bad));
    const findings = session.page.locator('table.findings tbody tr');
    await findings.first().waitFor();
    const text = await session.page.locator('table.findings').innerText();
    expect(text).toMatch(/jingan-test-fixture-2026\s+jingan-tf26-testing-certification\s+documents\[0\]\.rules\[0\]\s+.*quote is not verbatim/);
    expect(text).toMatch(/jingan-tf26-ai-talent-housing\s+documents\[0\]\.rules\[1\]\s+.*expected match/);
    await screenshot(session.page, '30-admin-findings', true);
    // The refusal is the expected answer here, and the browser logs it.
    session.problems.splice(0, session.problems.length, ...session.problems.filter((p) => !/status of 422/.test(p)));
  });

  it('shows the diff and impact of the corrected bundle, tries a profile, publishes and rolls back', async () => {
    await session.page.getByLabel('选择政策包文件').setInputFiles(file('good.json', good));
    await session.page.getByText('检查通过').waitFor();
    expect(await session.page.locator('.diff-summary').innerText()).toContain('新增 2 项措施');
    expect(await session.page.locator('.diff-added').innerText()).toContain('jingan-tf26-testing-certification');
    await session.page.getByRole('heading', { name: '对已保存筛选的影响' }).waitFor();

    await session.page
      .locator('textarea.try-profile')
      .fill(JSON.stringify({ location: { district: 'jingan' }, sectors: ['professional-services/testing-certification'], plans: ['international-standards'] }));
    await session.page.locator('input.try-as-of').fill('2026-11-28');
    await session.page.getByRole('button', { name: '试算' }).click();
    await session.page.locator('.try-result li').first().waitFor();
    expect(await session.page.locator('.try-result').innerText()).toContain('jingan-tf26-testing-certification');
    await screenshot(session.page, '31-admin-draft', true);

    await session.page.getByRole('button', { name: '发布此草稿' }).click();
    await session.page.getByText(/已发布，现行版本/).waitFor();
    const rows = session.page.locator('table.versions tbody tr');
    await session.page.waitForFunction(() => document.querySelectorAll('table.versions tbody tr').length === 2);
    expect(await rows.first().innerText()).toContain('现行');
    expect(await rows.first().innerText()).toContain('政策包');

    await session.page.getByRole('button', { name: '设为现行（回退）' }).click();
    await session.page.getByText(/已切换，现行版本/).waitFor();
    await session.page.waitForFunction(() => /内置[\s\S]*/.test(document.querySelector('table.versions tr.live')?.innerText ?? ''));
    expect(await session.page.locator('table.versions tr.live').innerText()).toContain('内置');
    expect(await session.page.locator('ul.activations li').first().innerText()).toContain('activate');
    await screenshot(session.page, '32-admin-rolled-back', true);
  });
});
