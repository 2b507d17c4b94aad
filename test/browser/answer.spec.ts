import { openPage, screenshot, useBrowserSession } from './support/browser';
import type { PageDocument } from './support/page-globals';

declare const document: PageDocument, window: { location: { hash: string } };

/**
 * The answer a company can trust, in Chromium: the summary headline leads in every view (one district,
 * several, expired hidden), a question answered 没有 adds nothing, and the compare view gives a verdict.
 * Dates are pinned with asOf in the share link.
 */
jest.setTimeout(120_000);

const session = useBrowserSession();

/** A `#p=…` share link, as the web app writes it: base64url of the request's JSON. */
function link(request: Record<string, unknown>, path = '/'): string {
  return `${session.app.url}${path}#p=${Buffer.from(JSON.stringify(request), 'utf8').toString('base64url')}`;
}

const AI_FIRM = {
  location: { district: 'jingan' },
  sectors: ['ai/models-algorithms'],
  qualifications: ['high-tech-enterprise', 'srdi-sme'],
  plans: ['set-up-rd-center'],
};

describe('the summary headline leads', () => {
  it('in the multi-district view: as of today, Jing’an expired and Qingpu of unstated term', async () => {
    const p = session.page;
    await p.goto(link({ profile: AI_FIRM, districts: ['jingan', 'qingpu'], asOf: '2026-11-28' }));
    const summary = p.locator('[data-testid="summary"]');
    await summary.waitFor();
    const text = await summary.innerText();
    expect(text).toMatch(/^截至2026年11月28日，匹配到的\d+项措施均已于2025年12月31日到期；青浦区\d+项措施未载明期限，请向责任部门确认。/);
    expect(text).toMatch(/有效 0 项/);
    // The summary comes before any measure, and the company's own district first.
    const order = await p.evaluate(() => [...document.querySelectorAll('.answer-summary, .district-title')].map((e) => e.className));
    expect(order[0]).toContain('answer-summary');
    expect(await p.locator('.district-title').first().innerText()).toContain('静安区');
    expect(await p.locator('.card.status-term-unknown').first().innerText()).toContain('期限未载明，请向责任部门确认');
    await screenshot(p, '20-summary-multi-district');
  });

  it('with expired measures hidden: the headline, counts and lists agree', async () => {
    const p = session.page;
    await p.getByLabel('隐藏已到期的政策').check();
    await p.waitForFunction(() => !document.querySelector('.results.is-busy') && !document.querySelector('.card.status-expired'));
    const text = await p.locator('[data-testid="summary"]').innerText();
    expect(text).toMatch(/^截至2026年11月28日，/);
    expect(text).toContain('已到期 0 项');
    expect(text).not.toContain('均已于');
    const cards = await p.locator('.results .card').count();
    const total = Number(/符合 (\d+) 项/.exec(text)?.[1]);
    expect(cards).toBe(total);
    expect(await p.locator('.near.status-expired').count()).toBe(0);
    await screenshot(p, '21-summary-hide-expired');
  });

  it('in the one-district view as of 2025-06-01: in force', async () => {
    const p = session.page;
    await p.goto(link({ profile: AI_FIRM, asOf: '2025-06-01' }));
    await p.reload();
    const summary = p.locator('[data-testid="summary"]');
    await summary.waitFor();
    expect(await summary.innerText()).toMatch(/^截至2025年6月1日，匹配到的\d+项措施均有效/);
  });
});

describe('questions', () => {
  it('answered 没有: nothing is added to the profile and nothing re-runs', async () => {
    const p = session.page;
    const question = p.locator('.question').first();
    await question.waitFor();
    const fact = await question.getAttribute('data-fact');
    const before = await p.evaluate(() => window.location.hash);
    await question.getByLabel('没有', { exact: true }).check();
    await p.locator(`.question[data-fact="${fact}"][data-answer="no"]`).waitFor();
    expect(await question.innerText()).toContain('已回答：没有');
    expect(await question.locator('input[type="checkbox"]').count()).toBe(0);
    expect(await p.evaluate(() => window.location.hash)).toBe(before);
    expect(await p.locator('.results.is-busy').count()).toBe(0);
  });
});

describe('compare', () => {
  it('answers which district offers the company more, in one sentence, with a date control', async () => {
    const fresh = await openPage(session.browser);
    try {
      await fresh.page.goto(link({ profile: AI_FIRM, asOf: '2025-06-01' }, '/compare'));
      await fresh.page.reload();
      const verdict = fresh.page.locator('[data-testid="verdict"]');
      await verdict.waitFor();
      expect(await verdict.innerText()).toMatch(/^截至2025年6月1日，.+为贵企业提供的有效措施(最多|一样多)/);
      await fresh.page.getByLabel('判断日期').fill('2026-11-28');
      await fresh.page.locator('[data-testid="verdict"]', { hasText: '截至2026年11月28日' }).waitFor();
      expect(await fresh.page.locator('[data-testid="verdict"]').innerText()).toContain('三区均没有有效的匹配措施');
      expect(await fresh.page.locator('.compare-col[aria-labelledby="cmp-qingpu"]').innerText()).toContain('期限未载明');
      await screenshot(fresh.page, '22-compare-verdict');
      expect(fresh.problems).toEqual([]);
    } finally {
      await fresh.context.close();
    }
  });
});

describe('each condition shows its words of the text', () => {
  const INDUSTRIAL = {
    location: { district: 'qingpu' },
    sectors: ['manufacturing/intelligent-equipment'],
    additionalRoles: ['industrial-enterprise'],
    plans: ['smart-transformation'],
  };

  it('why it matched pairs the words of the text with the company’s fact', async () => {
    const p = session.page;
    await p.goto(link({ profile: INDUSTRIAL, asOf: '2025-06-01' }));
    const card = p.locator('.card[data-measure="qingpu-168-smart-transformation-diagnosis"]');
    await card.waitFor();
    const why = await card.locator('.why').innerText();
    expect(why).toMatch(/原文要求「[^」]*工业企业[^」]*」\s*→\s*您的企业：/);
    await screenshot(p, '24-basis-why');
  });

  it('a near miss names the words the company lacks, and the measure page lists them per condition', async () => {
    const p = session.page;
    await p.goto(link({ profile: { ...INDUSTRIAL, additionalRoles: [] }, asOf: '2025-06-01', nearMissLimit: 100 }));
    const near = p.locator('.near[data-measure="qingpu-168-smart-transformation-diagnosis"]');
    await near.waitFor();
    expect(await near.locator('.near-why').innerText()).toMatch(/原文要求「[^」]*工业企业[^」]*」\s*→\s*您的企业：/);
    await p.goto(`${session.app.url}/measures/qingpu-168-smart-transformation-diagnosis`);
    await p.locator('.basis-pair').first().waitFor();
    expect(await p.locator('.basis-text').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/^原文要求「.*工业企业.*」$/)]));
  });
});
