import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { createBalancerMetrics } from '@lbpoc/metrics';
import { BackendPool, StaticSource } from '@lbpoc/registry';
import { describe, expect, it, onTestFinished } from 'vitest';
import { AlgorithmSet } from '../src/routing/algorithm-set.js';
import { createStatusPage, STATUS_PAGE_LIMITS, type StatusPageLimits } from '../src/status-page/status-page.js';
import type { StatusSnapshot } from '../src/status-page/status-types.js';
import { startBalancerProcess } from './balancer-process.js';
import { startTestBackend } from './test-backend.js';
import { startTestBalancer, waitFor } from './test-balancer.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const KIB = 1024;

async function snapshotOf(adminUrl: string): Promise<StatusSnapshot> {
  const response = await fetch(`${adminUrl}/status-page/snapshot`);
  expect(response.status).toBe(200);
  return (await response.json()) as StatusSnapshot;
}

async function sequential(url: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await (await fetch(url)).arrayBuffer();
}

/** Reads an event stream until `done(text so far)` or `ms` pass; returns the text. */
async function readStream(response: Response, done: (text: string) => boolean, ms = 5000): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const deadline = Date.now() + ms;
  let text = '';
  while (Date.now() < deadline && !done(text)) {
    const next = await Promise.race([reader.read(), new Promise<'timeout'>((resolve) => setTimeout(resolve, deadline - Date.now(), 'timeout'))]);
    if (next === 'timeout' || next.done) break;
    text += decoder.decode(next.value, { stream: true });
  }
  reader.releaseLock();
  return text;
}

/** The status page alone on a plain server, with a pool of `count` (unreachable) static backends and small limits. */
async function standalonePage(count: number, limits: Partial<StatusPageLimits>) {
  const source = new StaticSource(
    Array.from({ length: count }, (_, i) => ({ id: `10.255.0.${i % 250}:${1000 + i}`, host: `10.255.0.${i % 250}`, port: 1000 + i, weight: 1 })),
  );
  const pool = new BackendPool(source, { healthCheck: false, outlierDetection: false });
  await pool.start();
  const page = createStatusPage({
    pool,
    algorithms: new AlgorithmSet('adaptive', () => performance.now(), 1),
    metrics: createBalancerMetrics({ defaultMetrics: false }),
    accepting: () => true,
    adminWrites: false,
    limits: { ...STATUS_PAGE_LIMITS, ...limits },
  });
  const server: Server = createServer((req, res) => {
    if (!page.handle(req, res, (req.url ?? '/').split('?', 1)[0]!)) res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(async () => {
    page.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await pool.close();
  });
  return { page, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('status page: what the admin port serves', () => {
  it('serves the page, its script and stylesheet with a strict CSP, nosniff and no-referrer; JS + CSS under 100 KiB gzipped', async () => {
    const backend = await startTestBackend('a');
    const { adminUrl } = await startTestBalancer([backend]);
    const page = await fetch(`${adminUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]|<style|\sstyle=|\son[a-z]+=/i); // no inline script, style or handler
    expect(html).not.toMatch(/https?:\/\//); // nothing from another host

    let gzipped = 0;
    for (const [path, type] of [
      ['/status-page/app.js', 'text/javascript; charset=utf-8'],
      ['/status-page/app.css', 'text/css; charset=utf-8'],
    ] as const) {
      const raw = await fetch(`${adminUrl}${path}`, { headers: { 'accept-encoding': 'identity' } });
      expect(raw.headers.get('content-type')).toBe(type);
      expect(raw.headers.get('content-security-policy')).toBe(csp);
      expect(raw.headers.get('x-content-type-options')).toBe('nosniff');
      const body = Buffer.from(await raw.arrayBuffer());
      expect(body.toString()).not.toMatch(/https?:\/\/(?!github\.com\/leeoniya)/); // no CDN; uPlot's notice names its home
      // Compressed as served (node's fetch would inflate it: ask with a raw header and read the bytes).
      const compressed = await new Promise<Buffer>((resolve, reject) => {
        const socket = connect(new URL(adminUrl).port as unknown as number, '127.0.0.1');
        const chunks: Buffer[] = [];
        socket.on('data', (chunk) => chunks.push(chunk));
        socket.on('end', () => resolve(Buffer.concat(chunks)));
        socket.on('error', reject);
        socket.end(`GET ${path} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n`);
      });
      const split = compressed.indexOf('\r\n\r\n');
      expect(compressed.subarray(0, split).toString()).toMatch(/content-encoding: gzip/i);
      const gz = compressed.subarray(split + 4);
      expect(gunzipSync(gz).equals(body)).toBe(true);
      gzipped += gz.length;
    }
    expect(gzipped).toBeLessThan(100 * KIB);

    const etag = page.headers.get('etag')!;
    expect((await fetch(`${adminUrl}/`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${adminUrl}/status-page/icon.svg`)).headers.get('content-type')).toBe('image/svg+xml');
    // The page is read-only: other methods fall through to the admin port's 405.
    expect((await fetch(`${adminUrl}/`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${adminUrl}/status-page/nothing`)).status).toBe(404);
  });

  it("reports each backend's rate, errors and 10 s percentiles, ejection with its end, slow start, panic and the last check", { timeout: 40_000 }, async () => {
    const backends = await Promise.all([startTestBackend('fast', 1), startTestBackend('slow', 20), startTestBackend('failing'), startTestBackend('spare')]);
    backends[2]!.status = 500;
    const { url, adminUrl } = await startTestBalancer(backends, { EJECTION_BASE_MS: '30000', SLOW_START_MS: '20000', DEFAULT_ALGORITHM: 'round_robin' });
    const [fast, slow, failing, spare] = backends.map((b) => `127.0.0.1:${b.port}`) as [string, string, string, string];
    await sequential(`${url}/`, 40);
    let snapshot!: StatusSnapshot;
    const total = (s: StatusSnapshot) => s.backends.reduce((sum, b) => sum + b.requests_10s, 0);
    await waitFor(async () => total((snapshot = await snapshotOf(adminUrl))) === 40, 3000, 'the 40 requests in the 10 s window');
    const row = (id: string) => snapshot.backends.find((b) => b.id === id)!;
    expect(row(fast).p50_ms!).toBeGreaterThan(0.5);
    expect(row(slow).p50_ms!).toBeGreaterThan(15);
    expect(row(slow).p99_ms!).toBeGreaterThanOrEqual(row(slow).p50_ms!);
    expect(row(fast).error_rate).toBe(0);
    expect(row(failing).error_rate).toBe(1);
    // Five consecutive 5xx eject it, for EJECTION_BASE_MS.
    expect(row(failing)).toMatchObject({ state: 'ejected', ejected: true, healthy: false });
    expect(row(failing).ejected_until! - snapshot.t).toBeGreaterThan(20_000);
    expect(row(failing).ejected_until! - snapshot.t).toBeLessThanOrEqual(30_000);
    expect(row(fast).last_check).toMatchObject({ detail: 'HTTP 200', passed: true });
    expect(row(fast).last_check!.age_s).toBeLessThanOrEqual(1);
    expect(snapshot.algorithms.find((a) => a.name === 'round_robin')!.requests_10s).toBeGreaterThanOrEqual(40);
    expect(snapshot.default_algorithm).toBe('round_robin');

    // Down, then back: slow start with its share now.
    await backends[3]!.kill();
    await waitFor(async () => (await snapshotOf(adminUrl)).backends.find((b) => b.id === spare)!.state === 'down', 5000, 'spare down');
    snapshot = await snapshotOf(adminUrl);
    expect(row(spare).last_check).toMatchObject({ passed: false });
    await backends[3]!.revive();
    await waitFor(async () => (snapshot = await snapshotOf(adminUrl)).backends.find((b) => b.id === spare)!.state === 'slow_start', 5000, 'spare ramping');
    expect(row(spare).slow_start_pct!).toBeGreaterThanOrEqual(10);
    expect(row(spare).slow_start_pct!).toBeLessThan(100);
    expect(row(spare).weight).toBeLessThan(row(spare).configured_weight);

    // Fewer than half healthy (PANIC_THRESHOLD 0.5): panic, and the unhealthy are in use again.
    await Promise.all([backends[1]!.kill(), backends[3]!.kill()]);
    await waitFor(async () => (snapshot = await snapshotOf(adminUrl)).panic, 5000, 'panic mode');
    expect(row(slow)).toMatchObject({ state: 'down', panic_routed: true });
    expect(row(failing).panic_routed).toBe(true);
  });
});

describe('status page: load reports', () => {
  it("shows each backend's own load report with its age, and prequal's view of it: hot, cold, or its own (fallback)", { timeout: 30_000 }, async () => {
    const reporting = async (rif: number) => {
      const server = createServer((req, res) => {
        req.resume();
        res.writeHead(200, { 'endpoint-load-metrics': `TEXT named_metrics.rif=${rif}` }).end('ok\n');
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      onTestFinished(() => {
        server.closeAllConnections();
        server.close();
      });
      return { port: (server.address() as AddressInfo).port };
    };
    const backends = [await reporting(30), await reporting(0), await startTestBackend('silent')];
    const { adminUrl } = await startTestBalancer(backends as never, { DEFAULT_ALGORITHM: 'prequal', LOAD_PROBE_INTERVAL_MS: '50' });
    const [loaded, idle, silent] = backends.map((b) => `127.0.0.1:${b.port}`) as [string, string, string];
    let snapshot!: StatusSnapshot;
    const row = (id: string) => snapshot.backends.find((b) => b.id === id)!;
    const probed = async () => {
      snapshot = await snapshotOf(adminUrl);
      return row(loaded).load !== null && row(idle).load !== null;
    };
    await waitFor(probed, 10_000, 'the probes');
    expect(row(loaded).load).toMatchObject({ in_flight: 30 });
    expect(row(loaded).load!.age_s).toBeLessThan(5);
    expect(row(idle).load).toMatchObject({ in_flight: 0 });
    expect(row(silent).load).toBeNull();
    expect({ loaded: row(loaded).prequal, idle: row(idle).prequal, silent: row(silent).prequal }).toEqual({ loaded: 'hot', idle: 'cold', silent: 'fallback' });
  });
});

describe('status page: the event stream', () => {
  it('sends five minutes of history first, then one status a second', async () => {
    const backend = await startTestBackend('a');
    const { url, adminUrl } = await startTestBalancer([backend]);
    await sequential(`${url}/`, 10);
    const response = await fetch(`${adminUrl}/status-page/events`);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    const started = Date.now();
    const text = await readStream(response, (t) => (t.match(/event: status\n/g) ?? []).length >= 2, 5000);
    await response.body?.cancel().catch(() => {});
    expect(text.startsWith('retry: 2000\n\nevent: hello\ndata: {"history":')).toBe(true);
    expect((text.match(/event: status\n/g) ?? []).length).toBe(2);
    expect(Date.now() - started).toBeLessThan(3500);
    const statuses = text
      .split('\n')
      .filter((line) => line.startsWith('data: {"t"'))
      .map((line) => JSON.parse(line.slice(6)) as StatusSnapshot);
    expect(statuses[1]!.t - statuses[0]!.t).toBeGreaterThan(800);
    expect(statuses[1]!.viewers).toEqual({ count: 1, max: 16 });
  });

  it('serves at most maxViewers streams: one more gets 503 too_many_viewers with Retry-After', async () => {
    const { url } = await standalonePage(3, { maxViewers: 2 });
    const controllers = [new AbortController(), new AbortController()];
    const open = await Promise.all(controllers.map((c) => fetch(`${url}/status-page/events`, { signal: c.signal })));
    expect(open.map((r) => r.status)).toEqual([200, 200]);
    const refused = await fetch(`${url}/status-page/events`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(await refused.json()).toMatchObject({ error: 'too_many_viewers', max: 2 });
    controllers[0]!.abort();
    await waitFor(
      async () => (await fetch(`${url}/status-page/snapshot`).then((r) => r.json() as Promise<StatusSnapshot>)).viewers.count === 1,
      3000,
      'the viewer to leave',
    );
    const again = new AbortController();
    expect((await fetch(`${url}/status-page/events`, { signal: again.signal })).status).toBe(200);
    again.abort();
    controllers[1]!.abort();
  });

  it('drops a viewer that does not read once maxBufferedBytes wait for it, and keeps serving the others', { timeout: 30_000 }, async () => {
    // 300 backends make ~150 KB events; 25 ms ticks fill a stalled socket's kernel buffers fast.
    const { url } = await standalonePage(300, { tickMs: 25, maxBufferedBytes: 256 * KIB });
    const port = Number(new URL(url).port);
    const stalled = connect(port, '127.0.0.1');
    stalled.write('GET /status-page/events HTTP/1.1\r\nHost: x\r\n\r\n');
    stalled.pause(); // never reads
    onTestFinished(() => void stalled.destroy());
    const reading = new AbortController();
    const reader = await fetch(`${url}/status-page/events`, { signal: reading.signal });
    const consumed = (async () => {
      try {
        for await (const _ of reader.body!) {
        }
      } catch {}
    })();
    await waitFor(
      async () => (await fetch(`${url}/status-page/snapshot`).then((r) => r.json() as Promise<StatusSnapshot>)).viewers.count === 2,
      3000,
      'both viewers',
    );
    await waitFor(
      async () => (await fetch(`${url}/status-page/snapshot`).then((r) => r.json() as Promise<StatusSnapshot>)).viewers.count === 1,
      20_000,
      'the stalled viewer to be dropped',
    );
    reading.abort();
    await consumed;
  });

  it('ends open streams at shutdown, so the balancer closes promptly with a viewer attached', async () => {
    const backend = await startTestBackend('a');
    const lb = await startTestBalancer([backend]);
    const response = await fetch(`${lb.adminUrl}/status-page/events`);
    const text = readStream(response, () => false, 8000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    await lb.close();
    expect(Date.now() - started).toBeLessThan(3000);
    const received = await text;
    const last = received
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('data: {"t"'))
      .at(-1)!;
    expect(JSON.parse(last.slice(6))).toMatchObject({ accepting: false });
  });
});

describe('status page: with worker threads', () => {
  it("adds up what every worker's requests did: rates, percentiles, adaptive's decisions", { timeout: 40_000 }, async () => {
    const backends = await Promise.all([startTestBackend('a', 2), startTestBackend('b', 2)]);
    const lb = await startBalancerProcess({ WORKERS: '2', BACKEND_SERVERS: backends.map((b) => `127.0.0.1:${b.port}`).join(',') });
    let decided = 0;
    const loading = (async () => {
      const until = Date.now() + 4000;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let i = 0; i < 2000 && Date.now() < until; i++) await (await fetch(`${lb.url}/`)).arrayBuffer();
        }),
      );
    })();
    let snapshot!: StatusSnapshot;
    await waitFor(
      async () => {
        snapshot = await snapshotOf(lb.adminUrl);
        decided = Math.max(
          decided,
          Object.values(snapshot.adaptive.decisions_per_s).reduce((sum, n) => sum + n, 0),
        );
        return decided > 0 && snapshot.backends.every((row) => row.requests_10s > 0 && row.p50_ms !== null);
      },
      10_000,
      "the workers' figures on the primary's page",
    );
    await loading;
    expect(snapshot.workers).toBe(2);
    // Equal weights, light load: adaptive delegates to round robin, and its requests count there.
    expect(snapshot.algorithms.find((row) => row.name === 'round_robin')!.requests_10s).toBeGreaterThan(0);
    const served = backends.reduce((sum, b) => sum + b.hits, 0);
    await waitFor(
      async () => (await snapshotOf(lb.adminUrl)).backends.reduce((sum, row) => sum + row.requests_10s, 0) >= Math.min(served, 50),
      5000,
      'the totals',
    );
  });
});

describe('status page: in the bundle', () => {
  it('is served by dist/main.js alone, copied to an empty directory (as in the Docker image)', async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`pnpm --filter @lbpoc/balancer build\` first (turbo's test task does)`);
    const dir = mkdtempSync(join(tmpdir(), 'lbpoc-status-page-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    copyFileSync(MAIN, join(dir, 'main.js'));
    const backend = await startTestBackend('a');
    const child = spawn(process.execPath, [join(dir, 'main.js')], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        BACKEND_SERVERS: `127.0.0.1:${backend.port}`,
        HOST: '127.0.0.1',
        METRICS_HOST: '127.0.0.1',
        PORT: '0',
        METRICS_PORT: '0',
        WORKERS: '1',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onTestFinished(() => void child.kill('SIGKILL'));
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    await waitFor(() => stdout.includes('balancer listening'), 10_000, 'the balancer to listen');
    const metricsPort = JSON.parse(stdout.split('\n').find((line) => line.includes('balancer listening'))!).metrics_port as number;
    const admin = `http://127.0.0.1:${metricsPort}`;
    expect(await (await fetch(`${admin}/`)).text()).toContain('<script src="/status-page/app.js" defer></script>');
    const script = await (await fetch(`${admin}/status-page/app.js`)).text();
    expect(script).toContain('uPlot');
    expect(script.length).toBeGreaterThan(20 * KIB);
    expect(await (await fetch(`${admin}/status-page/app.css`)).text()).toContain('.uplot');
  });
});
