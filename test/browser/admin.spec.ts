import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { bundleFromFiles, projectRoot } from '@matcher/catalog';
import { TEST_ADMIN_KEY } from '../support/test-app';
import { openPage, screenshot, useBrowserSession } from './support/browser';
import type { PageDocument } from './support/page-globals';

// Functions given to page.evaluate run in the page; the test tsconfig has no DOM lib.
declare const document: PageDocument & {
  createRange(): { setStart(node: unknown, offset: number): void; setEnd(node: unknown, offset: number): void };
};
declare const window: { getSelection(): { removeAllRanges(): void; addRange(range: unknown): void } | null };
declare const localStorage: { setItem(key: string, value: string): void };
declare const axe: { run(context: unknown, options: { resultTypes: string[] }): Promise<unknown> };

/**
 * 政策管理 in a real browser, as a policy officer with no repository: the Jing'an 2024 document extended to
 * 2026-12-31 in place, tried with the company form, published after confirming, seen in force on the
 * company page and rolled back after confirming; a pasted test document (not a real policy) given a
 * measure by selecting its quote and picking its conditions, then published. A bundle upload stays, as the
 * advanced path. axe-core on each admin view.
 */
jest.setTimeout(240_000);

const session = useBrowserSession();
const JINGAN = 'jingan-modern-industry-measures-2024';
const AS_OF = '2026-11-28';
const LAB = { location: { district: 'jingan' }, sectors: ['professional-services/testing-certification'], plans: ['international-standards'] };
const share = (request: Record<string, unknown>): string => `#p=${Buffer.from(JSON.stringify(request), 'utf8').toString('base64url')}`;
const bad = bundleFromFiles(join(projectRoot(), 'test', 'fixtures', 'catalog-2026'));
bad.documents![0].rules[0].event.params.source.quote = '由区商务委给予最高80万元资助。';
const file = (name: string, value: unknown) => ({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(value), 'utf8') });

let page: Page;
let problems: string[];
let closeContext: () => Promise<unknown>;

/** The company form as this browser keeps it (the 试算 box starts from it). */
const savedForm = (values: Record<string, string | string[]>) => JSON.stringify({ values, asOf: AS_OF, districts: [], includeExpired: true });

async function noAxeViolations(): Promise<void> {
  await page.addScriptTag({ path: require.resolve('axe-core') });
  const result = (await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }))) as {
    violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
  };
  expect(
    result.violations.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    ),
  ).toEqual([]);
}

/** Selects `words` in the element matching `selector`, as a reader would with the mouse. */
async function select(selector: string, words: string): Promise<void> {
  await page.evaluate(
    ([sel, w]) => {
      const el = document.querySelector(sel) as unknown as { firstChild: { textContent: string } };
      const node = el.firstChild;
      const at = node.textContent.indexOf(w);
      if (at < 0) throw new Error(`${w} is not in the text`);
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + w.length);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
    },
    [selector, words] as const,
  );
}

beforeAll(async () => {
  // Its own page, open to axe-core (injected as a test tool past the app's CSP).
  const opened = await openPage(session.browser, { bypassCSP: true });
  page = opened.page;
  problems = opened.problems;
  closeContext = () => opened.context.close();
});
afterAll(async () => {
  await closeContext?.();
});
afterEach(() => {
  expect(problems).toEqual([]);
});

describe('政策管理', () => {
  it('signs in as an administrator and lists the shipped version as live, by name, not by hash', async () => {
    await page.goto(`${session.app.url}/admin`);
    await page.getByLabel('访问密钥').fill(TEST_ADMIN_KEY);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '政策管理', level: 1 }).waitFor();
    const rows = page.locator('table.versions tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toMatch(/内置[\s\S]*现行/);
    await noAxeViolations();
  });

  it('keeps the bundle upload as the advanced path, with its findings on their document and measure', async () => {
    await page.getByText('高级：上传政策包文件').click();
    await page.getByLabel('选择政策包文件').setInputFiles(file('bad.json', bad));
    await page.locator('table.findings tbody tr').first().waitFor();
    expect(await page.locator('table.findings').innerText()).toMatch(
      /jingan-tf26-testing-certification\s+documents\[0\]\.rules\[0\]\s+.*quote is not verbatim/,
    );
    // The refusal is the expected answer here, and the browser logs it.
    problems.splice(0, problems.length, ...problems.filter((p) => !/status of 422/.test(p)));
  });

  it("extends the Jing'an 2024 document to 2026-12-31, tries a company, publishes after confirming, and rolls back after confirming", async () => {
    await page.evaluate(
      (form) => localStorage.setItem('matcher.draft.v1', form),
      savedForm({ 'location.district': 'jingan', sectors: LAB.sectors, plans: LAB.plans }),
    );
    await page.getByLabel('草稿说明（发布后显示在版本列表中）').fill('静安2024年措施延期至2026年底');
    await page.getByRole('button', { name: '开始编辑草稿' }).click();
    const row = page.locator(`tr[data-document="${JINGAN}"]`);
    await row.waitFor();
    await row.getByRole('button', { name: /修改有效期/ }).click();
    const form = page.locator('form.term-form');
    await form.getByLabel('截止日期').fill('2026-12-31');
    await form.getByRole('button', { name: '保存' }).click();
    await page.waitForFunction(
      (id) => /2026年12月31日/.test((document.querySelector(`tr[data-document="${id}"]`) as { innerText: string } | null)?.innerText ?? ''),
      JINGAN,
    );
    expect(await row.innerText()).toContain('2024-12-09 – 2026-12-31');
    await page.getByText('检查通过，没有发现问题。').waitFor();
    expect(await page.locator('.edit-history li').first().innerText()).toContain('有效期改为 2024-12-09 – 2026-12-31');
    await page.locator('.impact-summary').waitFor();
    await noAxeViolations();

    // 试算 with the company form, from the profile saved in this browser: the draft's answer beside the live one.
    await page.getByRole('button', { name: '试算：企业看到的结果' }).click();
    await page.getByRole('button', { name: '载入本浏览器保存的画像' }).click();
    await page.getByRole('button', { name: '查看匹配结果' }).click();
    await page.locator('.try-result .card').first().waitFor();
    expect(await page.locator('.try-live .card.status-in-force').count()).toBe(0);
    expect(await page.locator('.try-result .card.status-in-force').count()).toBeGreaterThan(0);
    await screenshot(page, '31-admin-draft-try', true);
    await noAxeViolations();

    await page.getByRole('button', { name: '发布此草稿' }).click();
    const confirm = page.getByRole('alertdialog', { name: '发布前请确认' });
    expect(await confirm.innerText()).toMatch(/新增 0 项措施，修改 \d+ 项，撤回 0 项；\d+ 个已保存筛选中有 \d+ 家企业/);
    await noAxeViolations();
    await confirm.getByRole('button', { name: '确认发布' }).click();
    await page.getByText(/已发布，现行版本/).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('table.versions tbody tr').length === 2);
    const live = await page.locator('table.versions tr.live').innerText();
    expect(live).toContain('静安2024年措施延期至2026年底');
    expect(live).toContain('Administrator (ADMIN_API_KEY)');
    expect(live).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);

    // The company page answers from the new version at once.
    await page.goto(`${session.app.url}/${share({ profile: LAB, asOf: AS_OF })}`);
    await page.locator('[data-testid="summary"]').waitFor();
    await page.locator('.card.status-in-force').first().waitFor();
    expect(await page.locator('.card.status-in-force').count()).toBeGreaterThan(0);

    await page.goto(`${session.app.url}/admin`);
    const shipped = page.locator('table.versions tbody tr', { hasText: '内置' });
    await shipped.getByRole('button', { name: '设为现行（回退）' }).click();
    const rollback = page.getByRole('alertdialog', { name: '回退前请确认' });
    expect(await rollback.innerText()).toMatch(/修改 \d+ 项/);
    await rollback.getByRole('button', { name: '确认回退' }).click();
    await page.getByText(/已切换，现行版本/).waitFor();
    await page.waitForFunction(() => /内置/.test((document.querySelector('table.versions tr.live') as { innerText: string } | null)?.innerText ?? ''));
    await screenshot(page, '32-admin-rolled-back', true);
  });

  it('adds a measure to a pasted test document by selecting its quote and picking its conditions, then publishes it', async () => {
    const quote = '对在静安区新落户的链主企业，由区投资办给予最高100万元奖励。';
    const text = `静安区测试样例文件（非真实政策）\n${quote}\n`;
    await page.evaluate((form) => localStorage.setItem('matcher.draft.v1', form), savedForm({ 'location.district': 'jingan', roles: ['chain-leader'] }));
    await page.reload();
    await page.getByLabel('草稿说明（发布后显示在版本列表中）').fill('新增测试样例文件');
    await page.getByRole('button', { name: '开始编辑草稿' }).click();
    await page.getByRole('button', { name: '新增文件（粘贴原文）' }).click();
    const doc = page.locator('form.add-document');
    await doc.getByLabel('文件编号（小写字母、数字和连字符）').fill('jingan-test-pasted-2026');
    await doc.getByLabel('标题', { exact: true }).fill('静安区测试样例文件');
    await doc.getByLabel('标题（英文）').fill('Jing’an test document (not a real policy)');
    await doc.getByLabel('发文单位', { exact: true }).fill('测试样例');
    await doc.getByLabel('发文单位（英文）').fill('Test fixture');
    await doc.getByLabel('发布日期').fill('2026-11-01');
    await doc.getByLabel('期限（原文）').fill('有效期至2027年12月31日');
    await doc.getByLabel('期限（英文）').fill('Until 31 December 2027');
    await doc.getByLabel('起始日期').fill('2026-11-01');
    await doc.getByLabel('截止日期').fill('2027-12-31');
    await doc.getByLabel('文件全文').fill(text);
    await doc.getByRole('button', { name: '添加', exact: true }).click();
    await page.locator('tr[data-document="jingan-test-pasted-2026"]').waitFor();

    await page.getByRole('button', { name: '新增措施' }).click();
    const add = page.locator('form.add-measure');
    await select('.add-measure .document-text', quote);
    await add.getByRole('button', { name: '用所选文字作为引文' }).click();
    expect(await add.locator('textarea.quote').inputValue()).toBe(quote);
    await add.getByLabel('措施编号').fill('jingan-tp26-chain-leader-award');
    await add.getByLabel('标题', { exact: true }).fill('新落户链主企业奖励');
    await add.getByLabel('英文标题').fill('Award for chain leaders relocating in');
    await add.getByLabel('摘要', { exact: true }).fill('新落户静安的链主企业最高可获100万元奖励。');
    await add.getByLabel('英文摘要').fill('Chain leaders relocating to Jing’an may receive up to 1 million yuan.');
    await add.getByLabel('资金支持').check();
    await add.getByLabel('静安区投资促进办公室').check();
    await select('.add-measure .document-text', '给予最高100万元奖励');
    await add.locator('.basis-row').getByRole('button', { name: '用所选文字作为依据' }).click();
    await add.getByRole('button', { name: '添加条件' }).click();
    await add.getByLabel('条件类型').selectOption('roles');
    await add.locator('.condition').getByLabel('链主企业', { exact: true }).check();
    await select('.add-measure .document-text', '链主企业');
    await add.locator('.condition').getByRole('button', { name: '用所选文字作为依据' }).click();
    expect(await add.locator('.condition-basis').innerText()).toBe('链主企业');
    // Cases: the profile being tried (a Jing'an chain leader), and the same company without the condition.
    await add.getByRole('button', { name: '用当前试算画像添加案例' }).click();
    await add.getByRole('button', { name: '添加对照案例：不满足“链主企业”' }).click();
    await noAxeViolations();
    await add.getByRole('button', { name: '添加', exact: true }).click();
    await page.locator('[data-measure="jingan-tp26-chain-leader-award"]').waitFor();
    await page.getByText('检查通过，没有发现问题。').waitFor();
    expect(await page.locator('.diff-summary').innerText()).toContain('新增 1 项措施');

    await page.getByRole('button', { name: '发布此草稿' }).click();
    const confirm = page.getByRole('alertdialog', { name: '发布前请确认' });
    expect(await confirm.innerText()).toContain('新增 1 项措施');
    await confirm.getByRole('button', { name: '确认发布' }).click();
    await page.getByText(/已发布，现行版本/).waitFor();
    const measure = await page.request.get(`${session.app.url}/api/v1/measures/jingan-tp26-chain-leader-award`);
    expect(measure.status()).toBe(200);
  });

  it('shows the expiry dashboard with district names, measures and priorities counted apart', async () => {
    await page.goto(`${session.app.url}/admin/expiry`);
    const byDistrict = page.locator('table.by-district');
    await byDistrict.waitFor();
    const text = await byDistrict.innerText();
    expect(text).toContain('徐汇区');
    expect(text).toContain('静安区');
    expect(text).not.toMatch(/\bxuhui\b|\bjingan\b/);
    expect(await byDistrict.locator('thead').innerText()).toMatch(/已到期且无后续的重点方向/);
    const date = page.locator('table.expiry-list td.date').first();
    expect(
      await date.evaluate(
        (el) =>
          (
            el as unknown as { ownerDocument: { defaultView: { getComputedStyle(e: unknown): { whiteSpace: string } } } }
          ).ownerDocument.defaultView.getComputedStyle(el).whiteSpace,
      ),
    ).toBe('nowrap');
    await noAxeViolations();
  });
});
