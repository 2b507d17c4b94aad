import { usccCheckCharacter } from '@matcher/catalog';
import { useBrowserSession } from './support/browser';

/**
 * What the company form sends: the page promises that the name and the credit code stay in the browser, and the
 * privacy note says what the service keeps and for how long. Checked on the request the browser really makes.
 */
jest.setTimeout(120_000);

const NAME = '上海隐私浏览器测试有限公司';
const FIRST17 = '91310106MA1FL5TX9';
const USCC = `${FIRST17}${usccCheckCharacter(FIRST17)}`;

const session = useBrowserSession();

describe('the company form and privacy', () => {
  it('sends /match without the name or credit code, and keeps them in the form', async () => {
    const p = session.page;
    await p.goto(`${session.app.url}/`);
    await p.getByLabel('注册所在区').selectOption('jingan');
    await p.getByLabel('搜索行业').fill('检验');
    await p.getByLabel('检验检测认证', { exact: true }).check();
    const company = p.locator('details.form-section', { has: p.locator('summary', { hasText: '企业概况' }) });
    if (!(await company.evaluate((d) => (d as unknown as { open: boolean }).open))) await company.locator('summary').click();
    await p.getByLabel(/^企业名称/).fill(NAME);
    await p.getByLabel(/^统一社会信用代码/).fill(USCC);
    const sent = p.waitForRequest((r) => r.url().endsWith('/api/v1/match') && r.method() === 'POST');
    await p.getByRole('button', { name: '查看匹配结果' }).click();
    const body = (await sent).postData() ?? '';
    expect(JSON.parse(body)).toMatchObject({ profile: { location: { district: 'jingan' }, sectors: ['professional-services/testing-certification'] } });
    expect(body).not.toContain(NAME);
    expect(body).not.toContain(USCC);
    expect(body).not.toMatch(/"name"|"uscc"/);
    await p.locator('.results .card').first().waitFor();
    expect(await p.getByLabel(/^企业名称/).inputValue()).toBe(NAME);
  });

  it('says what is stored, for how long and who reads it, in Chinese and English', async () => {
    const p = session.page;
    await p.goto(`${session.app.url}/`);
    await p.locator('[data-testid="privacy-note"] summary').click();
    const zh = await p.locator('[data-testid="privacy-note"]').innerText();
    expect(zh).toMatch(/企业名称和统一社会信用代码只保存在本浏览器/);
    expect(zh).toMatch(/保存 90 天后自动删除/);
    expect(zh).toMatch(/任何招商人员和管理员都无法在服务中查看/);
    await p.goto(`${session.app.url}/?lang=en`);
    await p.locator('[data-testid="privacy-note"] summary').click();
    const en = await p.locator('[data-testid="privacy-note"]').innerText();
    expect(en).toMatch(/never sent to the service/);
    expect(en).toMatch(/deleted after 90 days/);
  });
});
