import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOAD_REPORT_HEADER, parseLoadReport } from '@lbpoc/registry';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type BackendApp, createBackendApp } from '../src/app.js';
import type { BackendConfig } from '../src/config.js';
import { LoadTracker } from '../src/load-tracker.js';
import { createRequestHandler } from '../src/request-handler.js';
import { Slots } from '../src/slots.js';
import { send } from './http-client.js';

const BASE: BackendConfig = {
  serverId: 'test-1',
  hostname: 'test-host',
  delay: { kind: 'fixed', ms: 0 },
  errorRate: 0,
  host: '127.0.0.1',
  port: 0,
  metricsPort: 0,
  shutdownTimeoutMs: 5000,
  concurrency: 0,
};

const running: BackendApp[] = [];

/** Polls until `app` is handling `n` requests: a fixed sleep would be flaky on a busy machine. */
async function untilInFlight(app: BackendApp, n: number): Promise<void> {
  for (let i = 0; i < 400 && app.inFlight !== n; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(app.inFlight).toBe(n);
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.shutdown(1000)));
});

async function start(config: Partial<BackendConfig> = {}) {
  const app = createBackendApp({ config: { ...BASE, ...config }, defaultMetrics: false });
  running.push(app);
  const { port, metricsPort } = await app.listen();
  return { app, base: `http://127.0.0.1:${port}`, metrics: `http://127.0.0.1:${metricsPort}/metrics`, port };
}

describe('the echo', () => {
  it('answers GET / with who answered and what was asked', async () => {
    const { base } = await start();
    const reply = await send(`${base}/`, { headers: { 'x-request-id': 'req-42' } });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(reply.headers['x-server-id']).toBe('test-1');
    expect(reply.headers['x-request-id']).toBe('req-42');
    expect(reply.json).toEqual({
      server_id: 'test-1',
      host: 'test-host',
      delay_ms: 0,
      method: 'GET',
      path: '/',
      request_id: 'req-42',
      query: '',
      body_bytes: 0,
    });
  });

  it('echoes any method and path, with the query and the body size', async () => {
    const { base } = await start();
    const reply = await send(`${base}/orders/7?expand=items`, { method: 'PUT', body: 'x'.repeat(1234) });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ method: 'PUT', path: '/orders/7', query: 'expand=items', body_bytes: 1234, request_id: null });
    const head = await send(`${base}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });

  it('honours SIMULATED_DELAY: a 100 ms delay takes at least 100 ms', async () => {
    const { base } = await start({ delay: { kind: 'fixed', ms: 100 } });
    const reply = await send(`${base}/`);
    expect(reply.json.delay_ms).toBe(100);
    expect(reply.ms).toBeGreaterThanOrEqual(100);
  });

  it('samples the delay from the injected random source', async () => {
    const app = createBackendApp({
      config: { ...BASE, delay: { kind: 'uniform', min: 10, max: 30 } },
      random: () => 0.5,
      defaultMetrics: false,
    });
    running.push(app);
    const { port } = await app.listen();
    const reply = await send(`http://127.0.0.1:${port}/`);
    expect(reply.json.delay_ms).toBe(20);
    expect(reply.ms).toBeGreaterThanOrEqual(20);
  });

  it('answers 500 to every echo with ERROR_RATE=1, and health stays 200', async () => {
    const { base } = await start({ errorRate: 1 });
    for (const path of ['/', '/x']) {
      const reply = await send(`${base}${path}`);
      expect(reply.status).toBe(500);
      expect(reply.json).toMatchObject({ error: 'simulated failure (ERROR_RATE=1)', server_id: 'test-1', path });
    }
    expect((await send(`${base}/health`)).status).toBe(200);
  });

  it('never fails with ERROR_RATE=0', async () => {
    const { base } = await start({ errorRate: 0 });
    const replies = await Promise.all(Array.from({ length: 20 }, () => send(`${base}/`)));
    expect(replies.every((r) => r.status === 200)).toBe(true);
  });
});

describe('/health', () => {
  it('answers 200 ok', async () => {
    const { base } = await start();
    const reply = await send(`${base}/health`);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ status: 'ok', server_id: 'test-1' });
  });

  it('answers 503 draining while the backend drains', async () => {
    const handler = createRequestHandler({ config: BASE, random: Math.random, isDraining: () => true, slots: new Slots(0), load: () => ({}) });
    const server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const reply = await send(`http://127.0.0.1:${(server.address() as AddressInfo).port}/health`);
      expect(reply.status).toBe(503);
      expect(reply.json).toEqual({ status: 'draining', server_id: 'test-1' });
      expect(reply.headers.connection).toBe('close');
    } finally {
      server.close();
    }
  });
});

describe('load reports (endpoint-load-metrics, /load)', () => {
  it('reports its load on every answer, in ORCA text form', async () => {
    const { base } = await start();
    for (const path of ['/', '/health', '/load', '/cpu?ms=1']) {
      const reply = await send(`${base}${path}`);
      const load = parseLoadReport(reply.headers[LOAD_REPORT_HEADER]);
      expect(load, path).toMatchObject({ inFlight: 0, eps: 0 });
      expect(load?.cpuUtilization, path).toBeGreaterThanOrEqual(0);
    }
  });

  it('with CONCURRENCY=1 queues the second request, and /load and the headers say so', async () => {
    const { app, base } = await start({ concurrency: 1, delay: { kind: 'fixed', ms: 400 } });
    const first = send(`${base}/one`);
    const second = send(`${base}/two`);
    await untilInFlight(app, 2);
    const probe = await send(`${base}/load`);
    expect(probe.status).toBe(200);
    expect(probe.json).toMatchObject({ server_id: 'test-1', in_flight: 2, queued: 1, application_utilization: 1 });
    expect(parseLoadReport(probe.headers[LOAD_REPORT_HEADER])).toMatchObject({ inFlight: 2, applicationUtilization: 1 });
    const [a, b] = await Promise.all([first, second]);
    // The second waited for the first's slot: it answered after it, with the first no longer in flight.
    expect(parseLoadReport(a.headers[LOAD_REPORT_HEADER])?.inFlight).toBe(1);
    // Its work is done as it answers: the slot is free again.
    expect(parseLoadReport(b.headers[LOAD_REPORT_HEADER])).toMatchObject({ inFlight: 0, applicationUtilization: 0 });
    expect(((await send(`${base}/load`)).json as { queued: number }).queued).toBe(0);
  });

  it('counts requests and errors per second, and its own latency', async () => {
    let now = 0;
    const tracker = new LoadTracker(undefined, () => now);
    for (let i = 0; i < 4; i++) {
      tracker.started();
      tracker.ended(i === 0 ? 500 : 200, 20);
    }
    expect(tracker.report()).toMatchObject({ rps: 0, eps: 0, latencyMs: 20 }); // the first second is not over
    now = 1000;
    expect(tracker.report()).toMatchObject({ rps: 4, eps: 1 });
    now = 3500; // a whole quiet second in between: the rates are zero, not the old ones
    expect(tracker.report()).toMatchObject({ rps: 0, eps: 0 });
  });
});

describe('/cpu', () => {
  it('burns the CPU for the time asked', async () => {
    const { base } = await start();
    const reply = await send(`${base}/cpu?ms=30`);
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ server_id: 'test-1', cpu_ms: 30, path: '/cpu' });
    expect(reply.json.burned_ms).toBeGreaterThanOrEqual(30);
  });

  it.each(['/cpu', '/cpu?ms=', '/cpu?ms=abc', '/cpu?ms=-5', '/cpu?ms=2.5', '/cpu?ms=5001'])('answers %s with 400 and a JSON error', async (path) => {
    const { base } = await start();
    const reply = await send(`${base}${path}`);
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ parameter: 'ms', allowed: '0..5000' });
    expect(reply.json.error).toMatch(/whole number of milliseconds from 0 to 5000/);
  });
});

describe('/metrics', () => {
  it('counts requests by route and status class on METRICS_PORT', async () => {
    const { base, metrics } = await start();
    await send(`${base}/`);
    await send(`${base}/some/raw/path`);
    await send(`${base}/cpu?ms=bad`);
    const text = (await send(metrics)).text;
    expect(text).toContain('lbpoc_backend_requests_total{server_id="test-1",route="/",status_class="2xx"} 1');
    expect(text).toContain('lbpoc_backend_requests_total{server_id="test-1",route="other",status_class="2xx"} 1');
    expect(text).toContain('lbpoc_backend_requests_total{server_id="test-1",route="/cpu",status_class="4xx"} 1');
    expect(text).toContain('lbpoc_backend_request_duration_seconds_count{server_id="test-1",route="/"} 1');
    expect(text).toContain('lbpoc_backend_requests_in_flight{server_id="test-1"} 0');
    expect(text).not.toContain('/some/raw/path');
  });

  it('is not served on the traffic port', async () => {
    const { base } = await start();
    expect((await send(`${base}/metrics`)).json).toMatchObject({ path: '/metrics' });
  });
});

describe('/ws', () => {
  it('echoes text and binary messages and names the server on the upgrade', async () => {
    const { port, metrics } = await start();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    // 'open' follows 'upgrade' in the same tick: listen for both before awaiting either.
    const upgraded = new Promise<string | string[] | undefined>((resolve, reject) => {
      ws.once('upgrade', (res) => resolve(res.headers['x-server-id']));
      ws.once('error', reject);
    });
    const opened = new Promise((resolve) => ws.once('open', resolve));
    expect(await upgraded).toBe('test-1');
    await opened;
    const next = () => new Promise<{ data: unknown; isBinary: boolean }>((resolve) => ws.once('message', (data, isBinary) => resolve({ data, isBinary })));
    ws.send('hello');
    const text = await next();
    expect(text.isBinary).toBe(false);
    expect(String(text.data)).toBe('hello');
    ws.send(Buffer.from([1, 2, 3]));
    const binary = await next();
    expect(binary.isBinary).toBe(true);
    expect([...(binary.data as Buffer)]).toEqual([1, 2, 3]);
    ws.close();
    expect((await send(metrics)).text).toContain('lbpoc_backend_requests_total{server_id="test-1",route="/ws",status_class="1xx"} 1');
  });

  it('refuses upgrades on other paths with 404, and plain GET /ws with 426', async () => {
    const { port, base } = await start();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/elsewhere`);
    const status = await new Promise<number | undefined>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode));
      ws.once('error', () => resolve(undefined));
    });
    expect(status).toBe(404);
    const plain = await send(`${base}/ws`);
    expect(plain.status).toBe(426);
    expect(plain.headers.upgrade).toBe('websocket');
  });
});

describe('shutdown', () => {
  it('finishes a request in flight, refuses new connections and closes idle keep-alive sockets', async () => {
    const { app, base } = await start({ delay: { kind: 'fixed', ms: 300 } });
    const agent = new Agent({ keepAlive: true });
    await send(`${base}/health`, { agent }); // leaves one idle keep-alive socket
    const idle = Object.values(agent.freeSockets).flat()[0];
    expect(idle).toBeDefined();
    const idleClosed = new Promise((resolve) => idle?.once('close', resolve));

    const slow = send(`${base}/`);
    await untilInFlight(app, 1);
    const drained = app.shutdown(5000);
    expect(app.draining).toBe(true);

    await idleClosed;
    await expect(send(`${base}/health`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const reply = await slow;
    expect(reply.status).toBe(200);
    expect(reply.headers.connection).toBe('close');
    expect(await drained).toEqual({ clean: true });
    agent.destroy();
  });

  it('cuts requests off at the deadline and says how many', async () => {
    const { app, base } = await start({ delay: { kind: 'fixed', ms: 5000 } });
    const slow = send(`${base}/`).catch((error: unknown) => error);
    await untilInFlight(app, 1);
    expect(await app.shutdown(100)).toEqual({ clean: false, cutRequests: 1 });
    expect(await slow).toMatchObject({ code: 'ECONNRESET' });
  });

  it('closes WebSocket connections with 1001 going away', async () => {
    const { app, port } = await start();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));
    const drained = app.shutdown(2000);
    expect(await closed).toBe(1001);
    expect(await drained).toEqual({ clean: true });
  });
});
