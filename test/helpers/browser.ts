/**
 * Headless Chromium for the console tests: Debian's package driven by playwright-core with the
 * flags this kind of machine needs, the console built if stale, and the page helpers every
 * browser test uses.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { after, afterEach, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AK, SECRET, startTestServer, type TestServer } from './server.js';
// @ts-expect-error: a plain .mjs build script without type declarations
import { buildConsole, consoleIsStale } from '../../web/build.mjs';

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = 'test-output/screenshots';
/** `describe(..., { skip })`: the reason when Chromium is not installed. */
export const skipWithoutChromium: string | false = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install chromium)`;

export interface ConsolePage { browser: Browser; context: BrowserContext; page: Page }

/** A browser with one page; script errors in the page are pushed to `pageErrors`. */
export async function openBrowser(opts: { acceptDownloads?: boolean } = {}, pageErrors: string[] = []): Promise<ConsolePage> {
  if (consoleIsStale()) await buildConsole();
  mkdirSync(SHOTS, { recursive: true });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ acceptDownloads: opts.acceptDownloads ?? false, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  return { browser, context, page };
}

/** What a console suite's hooks set up: its server, browser and page, and the page's script errors so far. */
export interface ConsoleSuite {
  s: TestServer;
  browser: Browser;
  page: Page;
  pageErrors: string[];
  /** A full-page screenshot in SHOTS. */
  shot(name: string): Promise<Buffer>;
}

/**
 * The frame every console suite shares, as hooks of the `describe` that calls it: a test server and
 * Chromium before the suite's own `before` (which makes its fixtures and signs in), a check after
 * each test that the page raised no script error, and both closed after the suite.
 */
export function consoleSuite(opts: { acceptDownloads?: boolean } = {}): ConsoleSuite {
  const ui = { pageErrors: [] as string[] } as ConsoleSuite;
  ui.shot = (name) => ui.page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  before(async () => {
    ui.s = await startTestServer();
    ({ browser: ui.browser, page: ui.page } = await openBrowser(opts, ui.pageErrors));
  });
  afterEach(() => assert.deepEqual(ui.pageErrors.splice(0), [], 'script errors in the page'));
  after(async () => {
    await ui.browser?.close();
    await ui.s?.close();
  });
  return ui;
}

/**
 * Navigation by the side menu, option picking in antd selects, and signing in as the root key.
 * `current` gives the page, which tests open in `before`.
 */
export function consoleActions(current: () => Page) {
  return {
    async go(path: string) {
      const page = current();
      await page.getByTestId(`nav${path.replace(/\//g, '-')}`).click();
      await page.waitForURL(`**/console${path}`);
    },
    async pickOption(testId: string, text: string | RegExp) {
      const page = current();
      await page.getByTestId(testId).click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first().click();
    },
    /** The modals' and dropdowns' finite animations (zooming in, closing) finished; messages and endless spinners are left. */
    async animationsDone() {
      await current().evaluate(() => Promise.all(document.getAnimations()
        .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
        .filter((a) => { const t = (a.effect as KeyframeEffect | null)?.target; return !!t?.closest('.ant-modal-wrap, .ant-select-dropdown'); })
        .map((a) => a.finished.catch(() => undefined))));
    },
    /**
     * pickOption once the modal and the dropdown have finished moving, checking the select took the
     * option, again if not: a dropdown opened while its modal still moves can close under the click,
     * or leave its option never stable enough to click (then it is closed and opened anew).
     */
    async pickOptionChecked(testId: string, text: string) {
      const page = current();
      const dropdown = page.locator('.ant-select-dropdown:visible');
      for (let i = 0; i < 3; i++) {
        await this.animationsDone();
        await page.getByTestId(testId).click();
        await this.animationsDone();
        const clicked = await dropdown.locator('.ant-select-item-option').filter({ hasText: text }).first()
          .click({ timeout: 3000 }).then(() => true, () => false);
        if (clicked && await page.getByTestId(testId).filter({ hasText: text }).count()) return;
        if (await dropdown.count()) await page.getByTestId(testId).click();
        await page.waitForTimeout(300);
      }
      throw new Error(`${testId}: ${text} could not be picked`);
    },
    /** The create wizard's Next, until the step `title` is current (the defaults load asynchronously; Next only moves once the step validates). */
    async wizardNext(title: string) {
      const page = current();
      for (let i = 0; i < 40; i++) {
        await page.getByTestId('wizard-next').click();
        if (await page.locator('.ant-steps-item-process').filter({ hasText: title }).count()) return;
        await page.waitForTimeout(250);
      }
      throw new Error(`the wizard did not reach ${title}`);
    },
    async signIn(url: string) {
      const page = current();
      await page.goto(`${url}/console/`);
      await page.getByTestId('ak').fill(AK);
      await page.getByTestId('secret').fill(SECRET);
      await page.getByTestId('signin').click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
    },
  };
}
