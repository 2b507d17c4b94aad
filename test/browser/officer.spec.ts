import ExcelJS from 'exceljs';
import { TEST_ADMIN_KEY } from '../support/test-app';
import { screenshot, useBrowserSession } from './support/browser';
import type { PageDocument } from './support/page-globals';

declare const document: PageDocument, localStorage: { getItem(key: string): string | null };

/**
 * The officer desk (招商筛选) in a real browser: sign in, upload a CSV with one bad row, see the rest screened and
 * the bad row's reason, open a prospect, export a valid XLSX. Needs the screening API (docs/screening-api.md).
 */
jest.setTimeout(120_000);

const CSV = [
  '企业名称,统一社会信用代码,所在区,行业,主体类型,发展计划',
  '上海甲检测技术有限公司,,静安区,检验检测认证,专业服务机构,参与标准制修订',
  '丙公司,,火星区,人工智能,,',
  '乙芯片设计有限公司,,徐汇区,芯片设计,,设立研发中心',
].join('\r\n');

const session = useBrowserSession();

describe('the officer desk', () => {
  it('asks for the key, then signs in with it', async () => {
    await session.page.goto(`${session.app.url}/officer`);
    await session.page.getByLabel('访问密钥').fill('not-the-right-key-000000000');
    await session.page.getByRole('button', { name: '登录' }).click();
    await session.page.getByText('密钥无效或已停用').waitFor();
    await session.page.getByLabel('访问密钥').fill(TEST_ADMIN_KEY);
    await session.page.getByRole('button', { name: '登录' }).click();
    await session.page.getByText(/已登录/).waitFor();
    // The key lives in an HttpOnly cookie: scripts cannot read it.
    expect(await session.page.evaluate(() => document.cookie)).not.toContain(TEST_ADMIN_KEY);
    expect(await session.page.getByRole('link', { name: 'XLSX' }).getAttribute('href')).toBe('/api/v1/screenings/template.xlsx');
  });

  it('uploads a CSV with one bad row: the rest are screened, the bad row is listed with its reason', async () => {
    await session.page
      .getByLabel('企业名单（CSV 或 XLSX）')
      .setInputFiles({ name: 'prospects.csv', mimeType: 'text/csv', buffer: Buffer.from(`\ufeff${CSV}`, 'utf8') });
    await session.page.getByLabel('名称', { exact: true }).fill('浏览器测试');
    await session.page.getByLabel('按此日期判断政策是否有效').fill('2025-06-01');
    await session.page.getByRole('button', { name: '读取并检查' }).click();
    // The mapping step: every column recognised; the bad district is listed to confirm; the officer starts anyway.
    await session.page.locator('.mapping-step').waitFor();
    expect(await session.page.locator('.mapping-values').innerText()).toContain('火星区');
    await session.page.getByRole('button', { name: '开始筛选' }).click();
    await session.page.waitForURL(/\/officer\/screenings\/[0-9a-f-]{36}$/).catch(async (e: unknown) => {
      await screenshot(session.page, 'debug-upload', true);
      throw new Error(`${String(e)}\n${session.problems.join('\n')}\n${await session.page.locator('main').innerText()}`);
    });
    await session.page.locator('h1 .badge-state-completed').waitFor({ timeout: 60_000 });
    const bad = session.page.locator('.row-errors li[data-row="3"]');
    await bad.waitFor();
    expect(await bad.innerText()).toMatch(/^第 3 行：.*(district|所在区|火星区)/);
    const rows = session.page.locator('.results-table tbody tr');
    await session.page.waitForFunction(() => document.querySelectorAll('.results-table tbody tr').length === 2);
    expect(await rows.count()).toBe(2);
    expect(await session.page.locator('.results-table tbody tr[data-row="3"]').count()).toBe(0);
    const first = session.page.locator('.results-table tbody tr[data-row="2"]');
    expect(await first.innerText()).toContain('上海甲检测技术有限公司');
    expect(Number(await first.locator('td.num.strong').innerText())).toBeGreaterThan(0);
    await screenshot(session.page, '10-officer-table');
  });

  it('sorts and filters the table', async () => {
    await session.page.getByRole('button', { name: '按 符合政策数 排序' }).click();
    await session.page.waitForURL(/sort=-matchCount/);
    expect(await session.page.locator('th[aria-sort="descending"]').innerText()).toContain('符合政策数');
    await session.page.getByLabel('区', { exact: true }).selectOption('xuhui');
    await session.page.waitForFunction(() => document.querySelectorAll('.results-table tbody tr').length === 1);
    expect(await session.page.locator('.results-table tbody tr').innerText()).toContain('乙芯片设计有限公司');
    await session.page.getByLabel('区', { exact: true }).selectOption('');
    await session.page.waitForFunction(() => document.querySelectorAll('.results-table tbody tr').length === 2);
  });

  it('opens a prospect’s full result', async () => {
    await session.page.getByRole('link', { name: '上海甲检测技术有限公司' }).click();
    await session.page.locator('.card[data-measure="jingan-2024-professional-services-quality"]').waitFor();
    expect(await session.page.locator('.card[data-measure="jingan-2024-professional-services-quality"]').innerText()).toContain('区司法局');
    // The officer can take the prospect into the matcher to add facts and re-run.
    await session.page.getByRole('button', { name: /在政策匹配中打开/ }).click();
    await session.page.locator('.results .card[data-measure="jingan-2024-professional-services-quality"]').waitFor();
    expect(await session.page.getByLabel('注册所在区').inputValue()).toBe('jingan');
    expect(await session.page.getByLabel('按此日期判断政策是否有效').inputValue()).toBe('2025-06-01');
    await session.page.goBack();
    await session.page.getByRole('link', { name: '返回筛选结果' }).click();
    await session.page.locator('.results-table').waitFor();
  });

  it('exports a valid XLSX of the results', async () => {
    const [download] = await Promise.all([session.page.waitForEvent('download'), session.page.getByRole('link', { name: '导出 XLSX' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await download.path());
    const sheet = workbook.worksheets[0];
    const cells: string[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text))));
    expect(sheet.rowCount).toBeGreaterThanOrEqual(3);
    expect(cells.join('\n')).toContain('上海甲检测技术有限公司');
    expect(cells.join('\n')).toContain('乙芯片设计有限公司');
    // The officer's list comes back whole: the row that could not be screened too, with its reason.
    const failed = cells.indexOf('丙公司');
    expect(failed).toBeGreaterThan(-1);
    expect(cells.join('\n')).toMatch(/未筛选：.*火星区/);
  });

  it('re-runs the screening and shows what changed', async () => {
    await session.page.getByRole('button', { name: '按最新政策重新筛选' }).click();
    await session.page.locator('.screening-status', { hasText: '第 2 次运行' }).waitFor({ timeout: 60_000 });
    await session.page.locator('h1 .badge-state-completed').waitFor({ timeout: 60_000 });
    const changes = session.page.locator('section.changes');
    await changes.waitFor();
    // Same ruleset, same prospects: nothing gained or lost.
    expect(await changes.innerText()).toContain('两次结果没有差别');
  });

  it('filters by a measure found by typing part of its title', async () => {
    await session.page.getByLabel('政策', { exact: true }).fill('专业服务业品质');
    await session.page.locator('.measure-option').first().click();
    await session.page.waitForURL(/measure=jingan-2024-professional-services-quality/);
    await session.page.waitForFunction(() => document.querySelectorAll('.results-table tbody tr').length === 1);
    expect(await session.page.locator('.results-table tbody tr').innerText()).toContain('上海甲检测技术有限公司');
    await session.page.getByRole('button', { name: '清除政策筛选' }).click();
    await session.page.waitForFunction(() => document.querySelectorAll('.results-table tbody tr').length === 2);
  });

  it('the mapping step: an unknown header and a misspelt value are mapped and fixed in the page, then screened', async () => {
    await session.page.getByRole('link', { name: '已保存的筛选' }).first().click();
    const list = ['公司名称,落户区,所属行业,企业性质', '壬生物科技有限公司,静按区,生物医药,民企', '癸软件有限公司,徐汇区,软件,国企'].join('\r\n');
    await session.page.getByLabel('企业名单（CSV 或 XLSX）').setInputFiles({ name: '招商名单.csv', mimeType: 'text/csv', buffer: Buffer.from(list, 'utf8') });
    await session.page.getByLabel('名称', { exact: true }).fill('映射测试');
    await session.page.getByLabel('按此日期判断政策是否有效').fill('2025-06-01');
    await session.page.getByRole('button', { name: '读取并检查' }).click();
    const step = session.page.locator('.mapping-step');
    await step.waitFor();
    // The unknown header is reported with its likely field; the start waits until a district column exists.
    const column = session.page.getByLabel('“落户区”列对应的字段');
    expect(await column.inputValue()).toBe('');
    expect(await step.innerText()).toContain('可能是：注册所在区');
    expect(await step.locator('[role="alert"]').innerText()).toContain('没有一列给出所在区');
    expect(await session.page.getByRole('button', { name: '开始筛选' }).isDisabled()).toBe(true);
    // Map it: the page checks again, and the misspelt district and the ambiguous 国企 are listed with suggestions.
    await column.selectOption('location.district');
    const typo = session.page.getByLabel('“落户区”列的“静按区”应为');
    await typo.waitFor();
    expect(await typo.locator('optgroup[label="建议"] option').allInnerTexts()).toEqual(['静安区']);
    const ambiguous = session.page.getByLabel('“企业性质”列的“国企”应为');
    expect(await ambiguous.locator('optgroup[label="建议"] option').allInnerTexts()).toEqual(['中央国有', '地方国有']);
    // Only the misspelt district stops a row; the ambiguous 国企 would be left unknown until chosen.
    expect(await step.innerText()).toContain('共 2 行：1 行可直接筛选');
    await typo.selectOption('jingan');
    await ambiguous.selectOption('local-state');
    await session.page.getByLabel('保存这些映射和修正，下次上传时自动使用').check();
    await screenshot(session.page, '12-officer-mapping', true);
    await session.page.getByRole('button', { name: '开始筛选' }).click();
    await session.page.waitForURL(/\/officer\/screenings\/[0-9a-f-]{36}$/);
    await session.page.locator('h1 .badge-state-completed').waitFor({ timeout: 60_000 });
    await session.page.waitForFunction(() => document.querySelectorAll('.results-table tbody tr').length === 2);
    expect(await session.page.locator('.row-errors').count()).toBe(0);
    const rows = await session.page.locator('.results-table tbody tr').allInnerTexts();
    expect(rows[0]).toContain('壬生物科技有限公司');
    expect(rows[0]).toContain('静安区');
    expect(rows[1]).toContain('癸软件有限公司');
    // Saved for next time, in this browser.
    const saved = (await session.page.evaluate(() => JSON.parse(localStorage.getItem('matcher.import.saved') ?? '{}'))) as {
      mapping: Record<string, string>;
      values: Record<string, Record<string, string>>;
    };
    expect(saved).toEqual({
      mapping: expect.objectContaining({ 落户区: 'location.district' }),
      values: { 落户区: { 静按区: 'jingan' }, 企业性质: { 国企: 'local-state' } },
    });
  });

  it('lists the saved screening', async () => {
    await session.page.getByRole('link', { name: '已保存的筛选' }).first().click();
    await session.page.getByRole('link', { name: '浏览器测试' }).waitFor();
    await session.page.setViewportSize({ width: 390, height: 844 });
    await screenshot(session.page, '11-officer-phone');
    await session.page.setViewportSize({ width: 1366, height: 900 });
  });
});
