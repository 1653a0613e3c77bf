#!/usr/bin/env node
/**
 * The status page open in a browser, for the `lbpoc-page` contender: Debian's Chromium
 * (headless, driven by playwright-core) on `http://127.0.0.1:<admin port>/`, live (the
 * page's event stream connected), until SIGTERM. Prints `viewing` once the page is live.
 *
 *   node status-page-viewer.mjs <admin url>
 */
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../../test-support/chromium.js';

const url = process.argv[2];
if (!url?.startsWith('http://127.0.0.1:')) {
  process.stderr.write(`usage: status-page-viewer.mjs http://127.0.0.1:<admin port>/ (got ${JSON.stringify(url)})\n`);
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS], headless: true });
const close = () => browser.close().finally(() => process.exit(0));
process.once('SIGTERM', close);
process.once('SIGINT', close);
const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
await page.goto(url);
await page.locator('#connection[data-state="live"]').waitFor({ timeout: 20_000 });
process.stdout.write('viewing\n');
