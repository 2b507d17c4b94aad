import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { backends } from '../../support/backends';
import { createTestApp, type TestApp } from '../../support/test-app';
import { ensureWebBuilt } from './web-build';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, '..', '..', 'e2e', 'screenshots');

/**
 * Debian's Chromium, headless, with nothing phoning home. Playwright gives every launch a fresh temporary
 * profile directory of its own (it refuses a --user-data-dir argument to launch()), and every context a fresh
 * storage, so no test sees another's localStorage.
 */
export async function launchBrowser(): Promise<{ browser: Browser; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` (.ci/run does) — never \`npx playwright install\``);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

export interface RunningApp {
  test: TestApp;
  url: string;
  close(): Promise<void>;
}

/** The real application on a fresh embedded database, listening on a free port, serving apps/web/dist. */
export async function startApp(): Promise<RunningApp> {
  ensureWebBuilt();
  const test = await createTestApp(backends()[0]);
  await test.app.listen(0, '127.0.0.1');
  const { port } = test.app.getHttpServer().address() as AddressInfo;
  return { test, url: `http://127.0.0.1:${port}`, close: () => test.close() };
}

/** A page that fails the test on any script error or failed request to our own origin. */
export async function openPage(
  browser: Browser,
  /** bypassCSP: only to inject a test tool (axe-core) into pages whose policy allows no inline script. */
  options: { width?: number; height?: number; locale?: string; bypassCSP?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1366, height: options.height ?? 900 },
    locale: options.locale ?? 'zh-CN',
    acceptDownloads: true,
    timezoneId: 'Asia/Shanghai',
    bypassCSP: options.bypassCSP ?? false,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 500) problems.push(`${r.status()} from ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && !/the server responded with a status of (400|401|404)/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return { context, page, problems };
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage, animations: 'disabled' });
  return path;
}

export interface BrowserSession {
  app: RunningApp;
  browser: Browser;
  page: Page;
  problems: string[];
}

/**
 * For a spec file: starts the app and Chromium together, opens one page, closes both at the end, and fails any
 * test after which the page logged a problem (console error, failed request, CSP violation).
 */
export function useBrowserSession(): BrowserSession {
  const session = {} as BrowserSession;
  let chrome: { browser: Browser; close(): Promise<void> } | undefined;
  let app: RunningApp | undefined;
  beforeAll(async () => {
    const [a, c] = await Promise.allSettled([startApp(), launchBrowser()]);
    if (a.status === 'fulfilled') app = a.value;
    if (c.status === 'fulfilled') chrome = c.value;
    if (a.status === 'rejected') throw a.reason;
    if (c.status === 'rejected') throw c.reason;
    Object.assign(session, { app, browser: chrome!.browser }, await openPage(chrome!.browser));
  });
  afterAll(async () => {
    await chrome?.close();
    await app?.close();
  });
  afterEach(() => {
    expect(session.problems).toEqual([]);
  });
  return session;
}
