import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { App } from '../../server/app';
import { TEST_PASSWORD } from './app';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '..', '.artifacts', 'screenshots');

/** The laptop screen the editor layout is designed for. */
export const VIEWPORT = { width: 1366, height: 900 };

export interface BrowserEnv {
  browser: Browser;
  baseUrl: string;
  /** A fresh browser context (own cookies) with a page on it. */
  newPage(): Promise<{ context: BrowserContext; page: Page }>;
  /**
   * Runs a test body; when it fails, saves a screenshot of every page opened
   * since the previous call (named after the test) before rethrowing.
   */
  step(name: string, body: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/**
 * Serves the app (API + built admin from admin/dist) on an ephemeral port and
 * launches Debian's headless Chromium against it. Every page collects
 * uncaught page errors into `pageErrors` so tests can assert there were none.
 */
export async function startBrowserEnv(app: App): Promise<BrowserEnv> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with "apt-get install -y chromium" to run the browser tests.`);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const stopServer = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  // Playwright refuses a --user-data-dir argument on launch(): it gives every
  // launch a fresh temporary profile of its own and deletes it on close.
  const browser = await chromium
    .launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    .catch(async (err: unknown) => {
      await stopServer();
      throw err;
    });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];
  return {
    browser,
    baseUrl: `http://127.0.0.1:${port}`,
    async newPage() {
      const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB', timezoneId: 'UTC', acceptDownloads: true });
      // Generous: the suite shares two cores with the API tests when run together.
      context.setDefaultTimeout(20_000);
      contexts.push(context);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => {
        if (m.type() === 'error' && process.env.E2E_DEBUG) console.error('[browser]', m.text());
      });
      errorsOf.set(page, errors);
      pages.push(page);
      return { context, page };
    },
    async step(name, body) {
      const from = pages.length;
      try {
        await body();
      } catch (err) {
        const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 60);
        for (const [i, p] of pages.slice(from).entries()) {
          for (const e of errorsOf.get(p) ?? []) console.error(`[page ${i} error] ${e}`);
          if (!p.isClosed()) await p.screenshot({ path: path.join(SCREENSHOT_DIR, `FAILED-${slug}-${i}.png`) }).catch(() => undefined);
        }
        throw err;
      }
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await stopServer();
    },
  };
}

/** Uncaught errors the page threw so far. */
export function pageErrors(page: Page): string[] {
  return errorsOf.get(page) ?? [];
}

const errorsOf = new WeakMap<Page, string[]>();

/** Logs in through the login form and waits for the dashboard. */
export async function loginThroughUi(page: Page, baseUrl: string, username: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/#/login`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: /Good to see you/ }).waitFor();
}

/** A new page of `env`, logged in through the login form as `username`. */
export async function loggedInPage(env: BrowserEnv, username: string): Promise<Page> {
  const { page } = await env.newPage();
  await loginThroughUi(page, env.baseUrl, username);
  return page;
}

/** Opens an article's editor and waits for its first paragraph's field. */
export async function openArticleEditor(env: BrowserEnv, page: Page, id: number): Promise<void> {
  await page.goto(`${env.baseUrl}/#/articles/${id}`);
  await page.locator('#paragraph-text-0').waitFor();
}

/** Saves a full-page PNG under tests/.artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // Fast-forwards MUI's fade/slide transitions so dialogs are captured fully drawn.
  await page.screenshot({ path: file, fullPage: false, animations: 'disabled', caret: 'hide' });
  return file;
}

/** The visible form controls of `page` that have no accessible name (no label, aria-label or placeholder). */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.locator('input:visible, textarea:visible, select:visible').evaluateAll((els) =>
    els
      .filter((e) => (e as HTMLInputElement).type !== 'hidden' && e.getAttribute('aria-hidden') !== 'true')
      .filter((e) => !((e as HTMLInputElement).labels?.length || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || e.getAttribute('placeholder')))
      .map((e) => e.outerHTML.slice(0, 120)),
  );
}
