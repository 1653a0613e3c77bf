import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../../test-support/chromium.js';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (bash .ci/chromium.sh, or apt-get install chromium)`);
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS], headless: true });
}

/** What a page did that a test checks afterwards: console errors, every request, CSP violations. */
export interface WatchedPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** `console.error`s, uncaught exceptions and the browser's own errors (failed loads). */
  readonly errors: string[];
  /** Every URL the page requested, in order. */
  readonly requests: string[];
  /** Content-Security-Policy violations the page reported. */
  cspViolations(): Promise<string[]>;
}

/** A fresh context (no shared storage) with one page, watched from before its first request. */
export async function watchedPage(browser: Browser): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  // Runs before any script of the page (and is not subject to its CSP: it comes from the test).
  await page.addInitScript({
    content: `window.__cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`,
  });
  return {
    page,
    context,
    errors,
    requests,
    cspViolations: () => page.evaluate('window.__cspViolations') as Promise<string[]>,
  };
}
