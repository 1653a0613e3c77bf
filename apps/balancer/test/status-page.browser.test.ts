import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type WatchedPage, watchedPage } from './browser.js';
import { startTestBackend } from './test-backend.js';
import { startTestBalancer } from './test-balancer.js';

/**
 * The status page in a real browser (Debian's chromium through playwright-core), against
 * the real balancer in-process and three real backends. Every test also checks that the
 * page logged no error, asked no host but the admin port, and broke no CSP rule.
 *
 * STATUS_PAGE_SCREENSHOT=1 also writes reports/status-page.png (the README's picture).
 */
const TOKEN = 'status-page-test-token-0123456789';
const SCREENSHOT = fileURLToPath(new URL('../../../reports/status-page.png', import.meta.url));
const screenshot = process.env.STATUS_PAGE_SCREENSHOT === '1';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Sends requests from `concurrency` loops until `ms` pass (at most 50 000 in all); returns how many. */
async function load(url: string, ms: number, concurrency = 4): Promise<number> {
  const until = Date.now() + ms;
  let sent = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until && sent < 50_000) {
        sent++;
        const response = await fetch(url);
        await response.arrayBuffer();
      }
    }),
  );
  return sent;
}

async function setup(env: Record<string, string> = {}, weights: number[] = [1, 2, 3]) {
  const backends = await Promise.all([startTestBackend('b0', 1), startTestBackend('b1', 3), startTestBackend('b2', 8)]);
  const lb = await startTestBalancer(backends, env, weights);
  const ids = backends.map((b) => `127.0.0.1:${b.port}`);
  const watch = await watchedPage(browser);
  const response = await watch.page.goto(`${lb.adminUrl}/`);
  expect(response?.status()).toBe(200);
  const headers = response!.headers();
  expect(headers['content-security-policy']).toContain("default-src 'self'");
  expect(headers['content-security-policy']).not.toContain('unsafe-inline');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  await expect.poll(() => watch.page.locator('tr[data-backend]').count(), { timeout: 10_000 }).toBe(3);
  return { backends, lb, ids, watch };
}

function row(watch: WatchedPage, id: string) {
  return watch.page.locator(`#backends tr[data-backend="${id}"]`);
}

function cell(watch: WatchedPage, id: string, col: string) {
  return row(watch, id).locator(`td[data-col="${col}"]`);
}

/** No errors (but those `expected`), no host but the admin port, no CSP violation. */
async function expectClean(watch: WatchedPage, adminUrl: string, expected: RegExp[] = []) {
  expect(watch.errors.filter((error) => !expected.some((pattern) => pattern.test(error)))).toEqual([]);
  const origin = new URL(adminUrl).origin;
  expect(watch.requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
  expect(await watch.cspViolations()).toEqual([]);
  await watch.context.close();
}

/** Colourful pixels on each chart canvas: lines drawn, not only axes and grid (grey). */
const CHART_PIXELS = `[...document.querySelectorAll('.chart canvas')].map((canvas) => {
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let coloured = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 0 && Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 60) coloured++;
  }
  return coloured;
})`;

describe('the status page in a browser', () => {
  it('lists the three backends with their weights; under load the rates move, the charts draw, and columns sort', { timeout: 90_000 }, async () => {
    const { backends, lb, ids, watch } = await setup({ ADMIN_TOKEN: TOKEN });
    const { page } = watch;
    for (const [i, id] of ids.entries()) {
      await expect.poll(() => cell(watch, id, 'configured_weight').textContent()).toBe(String(i + 1));
      expect(await cell(watch, id, 'weight').textContent()).toBe(String(i + 1));
      expect(await cell(watch, id, 'source').textContent()).toBe('static');
      expect(await cell(watch, id, 'state').textContent()).toContain('healthy');
    }
    expect(await cell(watch, ids[0]!, 'rps').textContent()).toBe('0');

    const loading = load(`${lb.url}/`, screenshot ? 15_000 : 3500);
    if (screenshot) setTimeout(() => (backends[2]!.delayMs = 25), 7000).unref();
    await expect.poll(async () => Number(await cell(watch, ids[2]!, 'rps').textContent()), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(async () => Number(await page.locator('#summary dd').nth(1).textContent()), { timeout: 5000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await cell(watch, ids[2]!, 'p99_ms').textContent()) ?? '', { timeout: 5000 }).toMatch(/ms$/);
    await expect.poll(async () => (await page.locator('#algorithms tr[data-algorithm="adaptive"]').textContent()) ?? '').toContain('default');
    // Weights differ and load is light: adaptive delegates to weighted round robin, and says why.
    await expect.poll(async () => (await page.locator('#adaptive dl').textContent()) ?? '').toContain('weighted_round_robin');
    await expect
      .poll(() => page.evaluate(CHART_PIXELS) as Promise<number[]>, { timeout: 10_000 })
      .toSatisfy((pixels: number[]) => pixels.length === 3 && pixels.every((count) => count > 50));
    if (screenshot) {
      await page.waitForTimeout(10_000);
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    }
    expect(await loading).toBeGreaterThan(50);

    // Sort by p50, slowest first: the 8 ms backend leads (p99 would be at the mercy of one slow request on a busy machine).
    const p50Header = page.locator('#backends th[data-key="p50_ms"] button');
    await p50Header.click();
    await p50Header.click();
    expect(await page.locator('#backends th[data-key="p50_ms"]').getAttribute('aria-sort')).toBe('descending');
    await expect.poll(() => page.locator('#backends tbody tr').first().getAttribute('data-backend')).toBe(ids[2]);
    await page.locator('#backends th[data-key="id"] button').click();
    expect(await page.locator('#backends th[data-key="p50_ms"]').getAttribute('aria-sort')).toBeNull();
    await expect
      .poll(() => page.locator('#backends tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-backend'))))
      .toEqual([...ids].sort());
    await expectClean(watch, lb.adminUrl);
  });

  it('turns a killed backend down within the health-check time, and back when it returns', { timeout: 60_000 }, async () => {
    const { backends, lb, ids, watch } = await setup({ ADMIN_TOKEN: TOKEN, HEALTH_CHECK_INTERVAL_MS: '100', HEALTH_CHECK_TIMEOUT_MS: '200' });
    await backends[1]!.kill();
    const killedAt = Date.now();
    // Three failed checks 100 ms apart, plus one page update a second.
    await expect.poll(() => row(watch, ids[1]!).getAttribute('data-state'), { timeout: 5000 }).toMatch(/^(down|ejected)$/);
    expect(Date.now() - killedAt).toBeLessThan(3000);
    expect(await cell(watch, ids[1]!, 'check').textContent()).toMatch(/ECONNREFUSED|refused/i);
    expect(await row(watch, ids[0]!).getAttribute('data-state')).toBe('healthy');
    expect(await watch.page.locator('#summary').textContent()).toContain('2/3 healthy');
    expect(await watch.page.locator('#summary').textContent()).toMatch(/workers\s*1/);

    await backends[1]!.revive();
    await expect.poll(() => row(watch, ids[1]!).getAttribute('data-state'), { timeout: 5000 }).toBe('healthy');
    expect(await cell(watch, ids[1]!, 'check').textContent()).toMatch(/^HTTP 200/);
    await expectClean(watch, lb.adminUrl);
  });

  it('drains a backend with the token typed in (its own counter stops), and shows a wrong token as the 401 it is', { timeout: 60_000 }, async () => {
    const { backends, lb, ids, watch } = await setup({ ADMIN_TOKEN: TOKEN }, [1, 1, 1]);
    const { page } = watch;
    const target = ids[1]!;

    await page.locator('#token').fill('not-the-token-0123456789');
    await row(watch, target).getByRole('button', { name: 'Drain' }).click();
    await expect.poll(async () => (await page.locator('#message').textContent()) ?? '').toContain('401 Unauthorized');
    expect(await page.locator('#message').getAttribute('data-kind')).toBe('error');
    const after401 = (await (await fetch(`${lb.adminUrl}/backends`)).json()) as { backends: { id: string; drained: boolean }[] };
    expect(after401.backends.find((b) => b.id === target)!.drained).toBe(false);

    await page.locator('#token').fill(TOKEN);
    await row(watch, target).getByRole('button', { name: 'Drain' }).click();
    await expect.poll(async () => (await page.locator('#message').textContent()) ?? '').toContain(`Draining ${target}`);
    await expect.poll(() => row(watch, target).getAttribute('data-state'), { timeout: 5000 }).toBe('draining');
    expect(await cell(watch, target, 'weight').textContent()).toBe('0');
    await expect.poll(() => row(watch, target).getByRole('button', { name: 'Undrain' }).count()).toBe(1);

    const hitsBefore = backends[1]!.hits;
    for (let i = 0; i < 30; i++) {
      const response = await fetch(`${lb.url}/`);
      await response.arrayBuffer();
      expect(response.headers.get('x-lbpoc-backend')).not.toBe(target);
    }
    expect(backends[1]!.hits).toBe(hitsBefore);
    expect(backends[0]!.hits + backends[2]!.hits).toBeGreaterThanOrEqual(30);

    // The token stayed in the page: in no URL, not in sessionStorage (not asked to keep it).
    expect(watch.requests.filter((url) => url.includes(TOKEN))).toEqual([]);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    // The only error is the browser's own note of the refused request.
    await expectClean(watch, lb.adminUrl, [/status of 401 \(Unauthorized\)/]);
    expect(watch.errors.filter((error) => /401/.test(error))).toHaveLength(1);
  });

  it('changes the default algorithm: the next requests carry the new x-lbpoc-algorithm', { timeout: 60_000 }, async () => {
    const { lb, watch } = await setup({ ADMIN_TOKEN: TOKEN }, [1, 1, 1]);
    const { page } = watch;
    const before = await fetch(`${lb.url}/`);
    expect(before.headers.get('x-lbpoc-algorithm')).toBe('round_robin'); // adaptive's choice with equal weights, no load
    await page.locator('#token').fill(TOKEN);
    await page.locator('#default-algorithm').selectOption('p2c');
    await page.locator('#set-default').click();
    await expect.poll(async () => (await page.locator('#message').textContent()) ?? '').toContain('Default algorithm is now p2c (was adaptive)');
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${lb.url}/`);
      await response.arrayBuffer();
      expect(response.headers.get('x-lbpoc-algorithm')).toBe('p2c');
    }
    await expect.poll(async () => (await page.locator('#algorithms tr[data-algorithm="p2c"]').textContent()) ?? '').toContain('default');
    await expectClean(watch, lb.adminUrl);
  });

  it('says writes are disabled, and offers no control, without ADMIN_TOKEN', { timeout: 60_000 }, async () => {
    const { lb, ids, watch } = await setup();
    const { page } = watch;
    await expect.poll(async () => (await page.locator('#writes').textContent()) ?? '').toContain('Writes are disabled');
    expect(await page.locator('#token').isDisabled()).toBe(true);
    expect(await row(watch, ids[0]!).getByRole('button', { name: 'Drain' }).isDisabled()).toBe(true);
    expect(await page.locator('#set-default').isDisabled()).toBe(true);
    expect(watch.requests.filter((url) => /\/(drain|weight|algorithm)$/.test(url))).toEqual([]);
    await expectClean(watch, lb.adminUrl);
  });
});
