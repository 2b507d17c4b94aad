import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { openPage, screenshot, useBrowserSession } from './support/browser';
import type { PageDocument, PageElement } from './support/page-globals';

declare const document: PageDocument,
  location: { search: string },
  getComputedStyle: (element: PageElement) => { outlineStyle: string },
  window: { scrollTo(x: number, y: number): void };

/**
 * The company side in a real browser (Debian's Chromium) against the real application on PGlite:
 * the form, results, near misses, compare, catalog, language and phone width. Dates are pinned with asOf.
 */
jest.setTimeout(120_000);

const MEASURE = 'jingan-2024-professional-services-quality';
const AREA_MEASURE = 'jingan-plan-nanjing-west-high-end-services';
const DEPARTMENTS = ['区司法局', '区财政局', '区人力资源社会保障局', '区市场监管局', '区投资办'];

const session = useBrowserSession();
let sharedUrl = '';

async function openSection(p: Page, title: string): Promise<void> {
  const details = p.locator('details.form-section', { has: p.locator('summary', { hasText: title }) });
  if (!(await details.evaluate((d) => (d as unknown as { open: boolean }).open))) await details.locator('summary').click();
}

const card = (p: Page, id: string) => p.locator(`.results .card[data-measure="${id}"]`);

describe('a Jing’an testing-and-certification company', () => {
  it('opens in Chinese with the labels of the taxonomy', async () => {
    await session.page.goto(`${session.app.url}/`);
    expect(await session.page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await session.page.getByLabel('注册所在区').waitFor();
    const taxonomy = (await (await fetch(`${session.app.url}/api/v1/taxonomy`)).json()) as { fields: { key: string; zh: string; hintZh: string }[] };
    const district = taxonomy.fields.find((f) => f.key === 'location.district')!;
    expect(await session.page.locator('label[for="f-location-district"]').innerText()).toContain(district.zh);
    expect(await session.page.getByText(district.hintZh).isVisible()).toBe(true);
  });

  it('shows the API’s field errors inline, at the field', async () => {
    await session.page.getByLabel('注册所在区').selectOption('jingan');
    await openSection(session.page, '经营指标');
    await session.page.getByLabel(/^研发费用占比/).fill('3');
    // 行业 is required: without it nothing runs, and the form says so at the field.
    await session.page.getByRole('button', { name: '查看匹配结果' }).click();
    await session.page.locator('.error-summary', { hasText: '行业' }).waitFor();
    expect(await session.page.locator('.results-empty').count()).toBe(1);
    await session.page.getByLabel('搜索行业').fill('检验');
    // Enter in the search filters; it does not submit the form.
    await session.page.getByLabel('搜索行业').press('Enter');
    await session.page.getByLabel('检验检测认证', { exact: true }).check();
    await session.page.getByRole('button', { name: '查看匹配结果' }).click();
    const error = session.page.locator('#f-metrics-rdExpenseRatio-err');
    await error.waitFor();
    expect(await error.innerText()).toContain('不能大于 1');
    expect(await session.page.getByLabel(/^研发费用占比/).getAttribute('aria-invalid')).toBe('true');
    expect(await session.page.locator('.error-summary').innerText()).toContain('研发费用占比');
    await session.page.getByLabel(/^研发费用占比/).fill('');
  });

  it('fills the form by sections and finds the measure with its departments', async () => {
    await session.page.getByLabel('搜索行业').fill('检验');
    await session.page.getByLabel('检验检测认证', { exact: true }).check();
    await openSection(session.page, '主体类型');
    await session.page.getByLabel('专业服务机构', { exact: true }).check();
    await openSection(session.page, '发展计划');
    await session.page.getByLabel('参与标准制修订', { exact: true }).check();
    await session.page.getByLabel('按此日期判断政策是否有效').fill('2025-06-01');
    await session.page.getByLabel('搜索行业').fill('');
    await session.page.getByLabel('注册所在区').scrollIntoViewIfNeeded();
    await screenshot(session.page, '01-form');

    await session.page.getByRole('button', { name: '查看匹配结果' }).click();
    const found = card(session.page, MEASURE);
    await found.waitFor();
    expect(await session.page.locator('.error-summary').count()).toBe(0);
    const text = await found.innerText();
    expect(text).toContain('支持专业服务业品质化升级');
    for (const d of DEPARTMENTS) expect(text).toContain(d);
    expect(text).toContain('有效，至 2025年12月31日');
    expect(text).toContain('主体类型：专业服务机构');
    expect(await found.locator('blockquote').innerText()).toContain('参与国际标准、国家标准和行业标准的制修订');
    // The address now carries the profile.
    expect(new URL(session.page.url()).hash).toMatch(/^#p=[A-Za-z0-9_-]+$/);
    sharedUrl = session.page.url();
    await found.scrollIntoViewIfNeeded();
    await screenshot(session.page, '02-results');
    await session.page.emulateMedia({ media: 'print' });
    await session.page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(session.page, '12-print');
    expect(await session.page.locator('.form-column').isVisible()).toBe(false);
    await session.page.emulateMedia({ media: 'screen' });
  });

  it('shows near misses in two groups, with no shortcut that adds facts to the profile', async () => {
    expect(await card(session.page, AREA_MEASURE).count()).toBe(0);
    const near = session.page.locator('.near-misses');
    await near.waitFor();
    const groups = await near.locator('h3').allInnerTexts();
    expect(groups.join(' ')).toMatch(/补充信息即可判断|改变一项即可符合/);
    // The only button lists every near miss; none adds a fact.
    expect(await near.locator('button:not([data-testid="near-show-all"])').count()).toBe(0);
    expect(await session.page.locator('.results button', { hasText: /^\+/ }).count()).toBe(0);
    await near.scrollIntoViewIfNeeded();
    await screenshot(session.page, '02b-near-misses');
  });

  it('adds a fact from a question only when the company answers 有 and picks it', async () => {
    const question = session.page.locator('.question[data-fact="ownership"]');
    await question.waitFor();
    expect(await question.locator('input[type="checkbox"]').count()).toBe(0);
    await question.getByLabel('有', { exact: true }).check();
    await question.getByLabel(/^外资/).check();
    await question.getByRole('button', { name: '添加所选并更新结果' }).click();
    await session.page.locator('.announce', { hasText: '已添加 所有制：外资' }).waitFor();
    expect(await session.page.locator('.results.is-busy').count()).toBe(0);
    expect(await session.page.getByLabel(/^所有制/).inputValue()).toBe('foreign');
  });

  it('downloads the results as CSV and JSON', async () => {
    const [csv] = await Promise.all([session.page.waitForEvent('download'), session.page.getByRole('button', { name: '下载 CSV' }).click()]);
    const text = readFileSync(await csv.path(), 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('支持专业服务业品质化升级');
    expect(text).toContain('区司法局');
    const [json] = await Promise.all([session.page.waitForEvent('download'), session.page.getByRole('button', { name: '下载 JSON' }).click()]);
    const body = JSON.parse(readFileSync(await json.path(), 'utf8')) as { request: { asOf: string }; response: { matches: { measureId: string }[] } };
    expect(body.request.asOf).toBe('2025-06-01');
    expect(body.response.matches.map((m) => m.measureId)).toContain(MEASURE);
  });

  it('compares the three districts side by side', async () => {
    await session.page.getByRole('link', { name: '三区对比' }).first().click();
    await session.page.locator('.compare-col').nth(2).waitFor();
    const cols = session.page.locator('.compare-col');
    expect(await cols.count()).toBe(3);
    const jingan = session.page.locator('.compare-col[aria-labelledby="cmp-jingan"]');
    expect(await jingan.innerText()).toContain('注册所在区');
    expect(await jingan.locator('.only-here').innerText()).toContain('支持专业服务业品质化升级');
    expect(await session.page.locator('.compare-col[aria-labelledby="cmp-xuhui"] h2').innerText()).toContain('迁入情景');
    await screenshot(session.page, '04-compare');
  });

  it('browses the catalog, a measure and its document with the quote highlighted', async () => {
    await session.page.getByRole('link', { name: '政策目录' }).click();
    await session.page.getByLabel('区', { exact: true }).selectOption('jingan');
    await session.page.getByLabel('搜索', { exact: true }).fill('专业服务业');
    await session.page.waitForFunction(
      () => /[?&]q=/.test(location.search) && document.querySelectorAll('.measure-item').length > 0 && !document.querySelector('.catalog-list[aria-busy]'),
    );
    expect(await session.page.getByLabel('状态').locator('option').count()).toBe(5);
    await session.page.locator('.measure-item a', { hasText: '支持专业服务业品质化升级' }).waitFor();
    expect(session.page.url()).toContain('district=jingan');
    await screenshot(session.page, '05-catalog');
    await session.page.locator('.measure-item a', { hasText: '支持专业服务业品质化升级' }).click();
    await session.page.getByRole('heading', { name: '适用条件' }).waitFor();
    expect(await session.page.locator('.rule-tree').innerText()).toContain('发展计划包括：参与标准制修订');
    expect(await session.page.locator('.source-paragraph mark').innerText()).toContain('参与国际标准');
    await screenshot(session.page, '06-measure');
    await session.page.getByRole('link', { name: '在原文中查看' }).click();
    const mark = session.page.locator('.full-text mark#quote');
    await mark.waitFor();
    expect((await mark.innerText()).replace(/\s+/g, '')).toContain('参与国际标准、国家标准和行业标准的制修订');
    expect(await mark.isVisible()).toBe(true);
    await screenshot(session.page, '07-document');
  });

  it('filters the catalog by kind: priorities apart from support measures', async () => {
    const fresh = await openPage(session.browser);
    try {
      const p = fresh.page;
      await p.goto(`${session.app.url}/measures?district=qingpu`);
      const kinds = ['measure', 'priority'] as const;
      const totals: Record<string, number> = {};
      for (const kind of kinds) {
        const res = await p.request.get(`${session.app.url}/api/v1/measures?district=qingpu&kind=${kind}&limit=1`);
        totals[kind] = ((await res.json()) as { total: number }).total;
      }
      for (const [kind, label] of [
        ['priority', '重点发展方向'],
        ['measure', '扶持措施'],
      ] as const) {
        await p.getByLabel('类型').selectOption(kind);
        await p.waitForFunction(
          // Support measures are the default: the address names only another kind.
          (k) =>
            (k === 'measure' ? !location.search.includes('kind=') : location.search.includes(`kind=${k}`)) &&
            !document.querySelector('.catalog-list[aria-busy]') &&
            document.querySelector('.catalog-list .muted'),
          kind,
        );
        expect(await p.locator('.catalog-list > p.muted').innerText()).toContain(`共 ${totals[kind]} 项`);
        const badges = await p.locator('.measure-item .badge-kind').allInnerTexts();
        expect(badges.length).toBe(Math.min(25, totals[kind]));
        expect(new Set(badges)).toEqual(new Set(badges.length ? [label] : []));
      }
      expect(totals.measure + totals.priority).toBeGreaterThan(0);
      expect(fresh.problems).toEqual([]);
    } finally {
      await fresh.context.close();
    }
  });

  it('switches to English: every label follows', async () => {
    await session.page.goto(sharedUrl);
    await card(session.page, MEASURE).waitFor();
    await session.page.getByRole('button', { name: 'Switch to English' }).click();
    await session.page.getByLabel('District of registration').waitFor();
    expect(await session.page.locator('html').getAttribute('lang')).toBe('en');
    expect(await session.page.getByRole('heading', { level: 1 }).innerText()).toBe('Which support measures apply to your company?');
    const found = card(session.page, MEASURE);
    const text = await found.innerText();
    expect(text).toContain('Upgrade the quality of professional services');
    expect(text).toContain("Jing'an District Bureau of Justice");
    expect(text).toContain('In force until 31 Dec 2025');
    expect(text).toContain('Role: Professional service firm');
    expect(await session.page.getByRole('button', { name: 'Show matching measures' }).isVisible()).toBe(true);
    expect(new URL(session.page.url()).searchParams.get('lang')).toBe('en');
    await found.scrollIntoViewIfNeeded();
    await screenshot(session.page, '03-results-en');
  });

  it('opens in English with ?lang=en and remembers the choice', async () => {
    const fresh = await openPage(session.browser);
    try {
      await fresh.page.goto(`${session.app.url}/?lang=en`);
      await fresh.page.getByLabel('District of registration').waitFor();
      await fresh.page.goto(`${session.app.url}/measures`);
      await fresh.page.getByRole('heading', { name: 'Catalog of measures' }).waitFor();
      await fresh.page.goto(`${session.app.url}/?lang=zh`);
      await fresh.page.getByLabel('注册所在区').waitFor();
      expect(fresh.problems).toEqual([]);
    } finally {
      await fresh.context.close();
    }
  });

  it('is usable at phone width from a shared link, without sideways scrolling', async () => {
    const phone = await openPage(session.browser, { width: 390, height: 844 });
    try {
      await phone.page.goto(sharedUrl);
      await phone.page.locator(`.card[data-measure="${MEASURE}"]`).waitFor();
      expect(await phone.page.getByLabel('注册所在区').inputValue()).toBe('jingan');
      const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(phone.page, '08-phone-form');
      await phone.page.locator(`.card[data-measure="${MEASURE}"]`).scrollIntoViewIfNeeded();
      await screenshot(phone.page, '09-phone-results');
      expect(phone.problems).toEqual([]);
    } finally {
      await phone.context.close();
    }
  });

  it('is keyboard operable with a visible focus ring', async () => {
    const kb = await openPage(session.browser);
    try {
      await kb.page.goto(`${session.app.url}/`);
      await kb.page.getByLabel('注册所在区').waitFor();
      await kb.page.keyboard.press('Tab');
      const skip = await kb.page.evaluate(() => document.activeElement?.textContent);
      expect(skip).toBe('跳到主要内容');
      await kb.page.getByLabel('注册所在区').focus();
      const outline = await kb.page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
      expect(outline).not.toBe('none');
      // Every form control has a label.
      const unlabelled = await kb.page.evaluate(
        () =>
          [...document.querySelectorAll('input, select, textarea')].filter((el) => {
            const id = el.id;
            return !el.closest('label') && !(id && document.querySelector(`label[for="${id}"]`)) && !el.getAttribute('aria-label');
          }).length,
      );
      expect(unlabelled).toBe(0);
    } finally {
      await kb.context.close();
    }
  });

  it('the sector search knows everyday names from the catalog’s synonym table (半导体 → 集成电路, SaaS → 软件开发)', async () => {
    const p = await openPage(session.browser);
    try {
      await p.page.goto(`${session.app.url}/`);
      await p.page.getByLabel('搜索行业').fill('半导体');
      await p.page.getByLabel('芯片设计', { exact: true }).waitFor();
      expect(await p.page.locator('.sector-picker .tree').innerText()).toContain('集成电路');
      await p.page.getByLabel('搜索行业').fill('SaaS');
      await p.page.getByLabel('软件开发', { exact: true }).waitFor();
      expect(await p.page.locator('.sector-picker .tree').innerText()).not.toContain('集成电路');
    } finally {
      await p.context.close();
    }
  });
});
