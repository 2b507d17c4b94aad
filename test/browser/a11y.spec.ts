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

describe.each(ROUTES)('%s', (_name, path, ready) => {
  it('has no axe violations', async () => {
    const { page, context, problems } = await openPage(session.browser, { bypassCSP: true });
    try {
      await page.goto(`${session.app.url}${path}`);
      await page.locator(ready).first().waitFor();
      await page.waitForFunction(() => !document.querySelector('[aria-busy="true"], .loading'));
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
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
