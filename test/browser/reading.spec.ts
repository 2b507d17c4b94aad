import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { openPage, screenshot, useBrowserSession } from './support/browser';
import type { PageDocument } from './support/page-globals';

declare const document: PageDocument, location: { search: string };

/**
 * What a company reads: the near miss that matters first, alternatives as alternatives, every near miss on
 * request, and dated badges in the compare view. Dates are pinned with asOf.
 */
jest.setTimeout(120_000);

const session = useBrowserSession();

const share = (request: Record<string, unknown>): string => `#p=${Buffer.from(JSON.stringify(request), 'utf8').toString('base64url')}`;
const MAKER = {
  profile: {
    location: { district: 'qingpu' },
    sectors: ['manufacturing/intelligent-equipment'],
    plans: ['smart-transformation'],
    qualifications: ['high-tech-enterprise'],
  },
  asOf: '2026-12-04',
};
const LAB = {
  profile: {
    location: { district: 'jingan' },
    sectors: ['professional-services/testing-certification'],
    roles: ['professional-service-institution'],
    qualifications: ['high-tech-enterprise'],
    plans: ['international-standards'],
  },
  asOf: '2025-06-01',
};

async function answerOf(request: Record<string, unknown>): Promise<{ nearMissesTotal: number; nearMisses: { measureId: string }[] }> {
  const res = await fetch(`${session.app.url}/api/v1/match`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  return (await res.json()) as { nearMissesTotal: number; nearMisses: { measureId: string }[] };
}

const nearIds = (p: Page) =>
  p.locator('.near-misses li.near').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { measure: string } }).dataset.measure));

describe('a Qingpu manufacturer planning 智能化改造', () => {
  it('sees the smart-factory award among the first three near misses', async () => {
    await session.page.goto(`${session.app.url}/${share(MAKER)}`);
    await session.page.locator('.near-misses li.near').first().waitFor();
    const ids = await nearIds(session.page);
    expect(ids.slice(0, 3)).toContain('qingpu-168-smart-factory-awards');
    expect(await session.page.locator('.near[data-measure="qingpu-168-smart-factory-awards"]').innerText()).toContain('智能工厂/智能车间');
    await screenshot(session.page, '40-near-relevant');
  });

  it('“show all” lists every near miss, and the group counts say shown and total', async () => {
    const answer = await answerOf({ ...MAKER, nearMissLimit: 100 });
    expect(answer.nearMissesTotal).toBeGreaterThan(10);
    expect(await session.page.locator('.near-misses li.near').count()).toBe(10);
    expect(await session.page.locator('.near-misses h3').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/显示 \d+ \/ 共 \d+ 项/)]));
    await session.page.getByTestId('near-show-all').click();
    await session.page.waitForFunction((n) => document.querySelectorAll('.near-misses li.near').length === n, answer.nearMissesTotal);
    expect((await nearIds(session.page)).sort()).toEqual(answer.nearMisses.map((n) => n.measureId).sort());
    expect(await session.page.getByTestId('near-total').innerText()).toBe(`共 ${answer.nearMissesTotal} 项`);
    expect(await session.page.getByTestId('near-show-all').count()).toBe(0);
    expect(session.problems).toEqual([]);
  });
});

describe('a Jing’an testing lab', () => {
  it('reads the alternatives of an `any` near miss as 满足其一：A 或 B, and never 老字号 as a change', async () => {
    await session.page.goto(`${session.app.url}/${share(LAB)}`);
    await session.page.locator('.near-misses li.near').first().waitFor();
    const finance = session.page.locator('.near[data-measure="jingan-2024-sci-tech-finance"]');
    await finance.waitFor();
    const text = await finance.innerText();
    expect(text).toMatch(/需要：满足其一：发展计划包括：知识产权质押融资 或 发展计划包括：发行绿色\/科创债券/);
    expect(text.match(/需要：/g)).toHaveLength(1);
    expect(await session.page.locator('.near-misses').innerText()).not.toContain('老字号');
    // Why it matched: the role and the sector are alternatives, either enough.
    const card = session.page.locator('.results .card[data-measure="jingan-2024-professional-services-quality"] .why');
    expect(await card.innerText()).toMatch(/满足其一：主体类型：专业服务机构 或 行业：专业服务\/检验检测认证/);
  });

  it('a measure in force that ends within 60 days says so on its card: 27 天后到期', async () => {
    const p = await openPage(session.browser);
    try {
      await p.page.goto(`${session.app.url}/${share({ ...LAB, asOf: '2025-12-04' })}`);
      const card = p.page.locator('.results .card[data-measure="jingan-2024-professional-services-quality"]');
      await card.waitFor();
      expect(await card.locator('.badge-ending').innerText()).toBe('有效，至 2025年12月31日 · 27 天后到期');
      expect(p.problems).toEqual([]);
    } finally {
      await p.context.close();
    }
  });

  it('downloads a CSV with the date, the headline, the priorities and no raw codes', async () => {
    const [csv] = await Promise.all([session.page.waitForEvent('download'), session.page.getByRole('button', { name: '下载 CSV' }).click()]);
    const text = readFileSync(await csv.path(), 'utf8');
    expect(text).toContain('判断日期,2025年6月1日');
    expect(text).toContain('截至2025年6月1日');
    expect(text).toContain('重点发展方向');
    expect(text).not.toMatch(/current-location|relocation|in-force/);
    expect(text).toContain('有效，至 2025年12月31日');
  });

  it('the compare drill-down shows every expiry with its date, in Chinese and English', async () => {
    const p = await openPage(session.browser);
    try {
      await p.page.goto(`${session.app.url}/compare${share({ ...LAB, asOf: '2026-12-04' })}`);
      await p.page.locator('.compare-col').nth(2).waitFor();
      const jingan = p.page.locator('.compare-col[aria-labelledby="cmp-jingan"]');
      await jingan.locator('.dept-counts details summary').first().click();
      const badges = await jingan.locator('.dept-counts details[open] .badge').allInnerTexts();
      expect(badges.length).toBeGreaterThan(0);
      for (const b of badges) expect(b).toBe('已于 2025年12月31日 到期');
      expect(await jingan.locator('.only-here .badge').allInnerTexts()).toEqual(expect.arrayContaining(['已于 2025年12月31日 到期']));
      expect(await p.page.locator('main').innerText()).not.toMatch(/已于\s+到期/);
      await p.page.getByRole('button', { name: 'Switch to English' }).click();
      await p.page.locator('.compare-col').nth(2).waitFor();
      const en = await p.page.locator('main').innerText();
      expect(en).not.toMatch(/Expired on\s*$/m);
      expect(en).not.toMatch(/As of\s+as of/);
      expect(p.problems).toEqual([]);
    } finally {
      await p.context.close();
    }
  });
});

describe('the catalog', () => {
  it('opens with support measures; priorities are a filter, named 重点发展方向; colliding titles name their document', async () => {
    const p = await openPage(session.browser);
    try {
      await p.page.goto(`${session.app.url}/measures`);
      await p.page.locator('.measure-item').first().waitFor();
      expect(await p.page.getByLabel('类型').inputValue()).toBe('measure');
      expect(new Set(await p.page.locator('.measure-item .badge-kind').allInnerTexts())).toEqual(new Set(['扶持措施']));
      await p.page.getByLabel('类型').selectOption('priority');
      await p.page.getByLabel('搜索', { exact: true }).fill('吸引国际顶尖人才开展重大基础研究合作');
      await p.page.waitForFunction(() => document.querySelectorAll('.measure-item').length === 2 && !document.querySelector('.catalog-list[aria-busy]'));
      expect(new Set(await p.page.locator('.measure-item .badge-kind').allInnerTexts())).toEqual(new Set(['重点发展方向']));
      const documents = await p.page.locator('.measure-item .measure-document').allInnerTexts();
      expect(documents).toHaveLength(2);
      expect(documents[0]).not.toBe(documents[1]);
      await p.page.getByLabel('类型').selectOption('measure');
      await p.page.getByLabel('搜索', { exact: true }).fill('人工智能');
      await p.page.waitForFunction(() => /q=/.test(location.search) && !/kind=/.test(location.search) && !document.querySelector('.catalog-list[aria-busy]'));
      await p.page.waitForFunction(() => (document.querySelector('.measure-item .near-title')?.textContent ?? '').startsWith('人工智能'));
      expect(p.problems).toEqual([]);
    } finally {
      await p.context.close();
    }
  });
});
