import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
// undici's own fetch: Node's bundled one takes no dispatcher of another undici version.
import { Agent, fetch as fetchWith } from 'undici';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startBalancerProcess } from './balancer-process.js';
import { startTestBackend, type TestBackend } from './test-backend.js';
import { tally, waitFor } from './test-balancer.js';

/**
 * `WORKERS=2`: two worker threads serve the traffic port (the kernel spreads connections
 * over them), and what must be one is one. Counts, not timings: these machines are shared.
 * Every load below opens many connections (a fresh undici Agent), so both workers get some.
 */
const TOKEN = 'test-admin-token-0123456789';

function servers(backends: readonly { port: number }[]): string {
  return backends.map((b) => `127.0.0.1:${b.port}`).join(',');
}

/** `count` GETs, `connections` at a time, each connection its own socket; returns the x-lbpoc-backend of each (or the error). */
async function load(url: string, count: number, connections: number): Promise<string[]> {
  const agents = Array.from({ length: connections }, () => new Agent({ connections: 1 }));
  onTestFinished(async () => {
    await Promise.all(agents.map((a) => a.close()));
  });
  const results: string[] = [];
  let next = 0;
  await Promise.all(
    agents.map(async (agent) => {
      while (next < count) {
        next++;
        try {
          const response = await fetchWith(url, { dispatcher: agent });
          await response.arrayBuffer();
          results.push(response.status === 200 ? (response.headers.get('x-lbpoc-backend') ?? 'none') : `status ${response.status}`);
        } catch (error) {
          results.push(`error ${(error as Error).message}`);
        }
      }
    }),
  );
  return results;
}

async function metric(adminUrl: string, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${adminUrl}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) if (pattern.test(line)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

describe('WORKERS=2', () => {
  it('round_robin splits evenly overall, and the request counters on /metrics add up to the requests sent', async () => {
    const backends = [await startTestBackend('a'), await startTestBackend('b'), await startTestBackend('c')];
    const lb = await startBalancerProcess({ WORKERS: '2', BACKEND_SERVERS: servers(backends), DEFAULT_ALGORITHM: 'round_robin', HEALTH_CHECKS: 'off' });
    expect(lb.output()).toContain('"workers":2');
    const served = tally(await load(`${lb.url}/`, 600, 12));
    expect(Object.keys(served).sort()).toEqual(backends.map((b) => `127.0.0.1:${b.port}`).sort());
    for (const count of Object.values(served)) expect(Math.abs(count - 200)).toBeLessThanOrEqual(20);
    expect(await metric(lb.adminUrl, /^lbpoc_requests_total\{/)).toBe(600);
    expect(await metric(lb.adminUrl, /^lbpoc_workers /)).toBe(2);
    const listed = (await (await fetch(`${lb.adminUrl}/backends`)).json()) as { workers: number; backends: { counters: { requests: number } }[] };
    expect(listed.workers).toBe(2);
    expect(listed.backends.reduce((sum, b) => sum + b.counters.requests, 0)).toBe(600);
  });

  it('least_connections sees the requests in flight of both workers', async () => {
    // Two backends that hold every request until released, and requests sent one at a time on
    // connections of their own (the kernel spreads them over the workers). With the in-flight
    // counts shared, least_connections keeps the two within one of each other at every step,
    // whichever worker each request lands on; with a count per worker each worker balances
    // only its own, and a request landing on the other worker tips the total by two.
    const held: ServerResponse[] = [];
    const seen: number[] = [];
    const holders = await Promise.all(
      [0, 1].map(async (i) => {
        const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
          seen.push(i);
          held.push(res);
        });
        server.listen(0, '127.0.0.1');
        await once(server, 'listening');
        onTestFinished(() => {
          server.closeAllConnections();
          server.close();
        });
        return { port: (server.address() as AddressInfo).port };
      }),
    );
    const lb = await startBalancerProcess({ WORKERS: '2', BACKEND_SERVERS: servers(holders), DEFAULT_ALGORITHM: 'least_connections', HEALTH_CHECKS: 'off' });
    const agents: Agent[] = [];
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 16; i++) {
      const agent = new Agent({ connections: 1 });
      agents.push(agent);
      pending.push(fetchWith(`${lb.url}/hold-${i}`, { dispatcher: agent }).then((r) => r.arrayBuffer()));
      await waitFor(() => seen.length === i + 1, 5000, `request ${i} to reach a backend`);
      const zero = seen.filter((b) => b === 0).length;
      expect(Math.abs(zero - (seen.length - zero)), `after ${seen.length} requests: ${seen.join('')}`).toBeLessThanOrEqual(1);
    }
    for (const res of held) res.end('done');
    await Promise.all(pending);
    await Promise.all(agents.map((a) => a.close()));
  });

  it('RATE_LIMIT_RPS is one limit per client across both workers', async () => {
    const backend = await startTestBackend('a');
    const lb = await startBalancerProcess({
      WORKERS: '2',
      BACKEND_SERVERS: servers([backend]),
      RATE_LIMIT_RPS: '5',
      RATE_LIMIT_BURST: '5',
      HEALTH_CHECKS: 'off',
    });
    const started = performance.now();
    const results = await load(`${lb.url}/`, 400, 8);
    const seconds = (performance.now() - started) / 1000;
    const admitted = results.filter((r) => !r.startsWith('status') && !r.startsWith('error')).length;
    // One bucket: the burst plus 5 per second. Two unshared buckets would admit about twice that.
    expect(admitted).toBeGreaterThanOrEqual(5);
    expect(admitted).toBeLessThanOrEqual(5 + Math.ceil(5 * seconds) + 2);
    expect(results.filter((r) => r === 'status 429').length).toBe(400 - admitted);
  });

  it('a drained backend gets no new request from any worker', async () => {
    const backends = [await startTestBackend('a'), await startTestBackend('b')];
    const lb = await startBalancerProcess({
      WORKERS: '2',
      BACKEND_SERVERS: servers(backends),
      DEFAULT_ALGORITHM: 'round_robin',
      HEALTH_CHECKS: 'off',
      ADMIN_TOKEN: TOKEN,
    });
    const drained = `127.0.0.1:${backends[0]!.port}`;
    const answer = await fetch(`${lb.adminUrl}/backends/${encodeURIComponent(drained)}/drain`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(answer.status).toBe(200);
    const before = backends[0]!.hits;
    const served = tally(await load(`${lb.url}/`, 200, 8));
    expect(served).toEqual({ [`127.0.0.1:${backends[1]!.port}`]: 200 });
    expect(backends[0]!.hits).toBe(before);
  });

  it("a worker that dies is replaced, and the other keeps serving: nothing is lost but the dead worker's own requests", async () => {
    const backend: TestBackend = await startTestBackend('a', 5);
    const lb = await startBalancerProcess({ WORKERS: '2', BACKEND_SERVERS: servers([backend]), HEALTH_CHECKS: 'off', ADMIN_TOKEN: TOKEN });
    const running = load(`${lb.url}/`, 1500, 8);
    await waitFor(() => backend.hits > 200, 10_000, 'the load to be under way');
    const unknown = await fetch(`${lb.adminUrl}/workers/7/restart`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'unknown_worker', message: 'no worker 7: workers are numbered 0 to 1' });
    const restart = await fetch(`${lb.adminUrl}/workers/0/restart`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(restart.status).toBe(200);
    const results = await running;
    const failed = results.filter((r) => r.startsWith('error') || r.startsWith('status'));
    // At most one request in flight per connection, and only the dead worker's connections fail.
    expect(failed.length).toBeLessThanOrEqual(8);
    await waitFor(async () => (await metric(lb.adminUrl, /^lbpoc_workers /)) === 2, 1000, 'the replacement to be serving');
    expect(await metric(lb.adminUrl, /^lbpoc_worker_restarts_total /)).toBe(1);
    expect(lb.output()).toContain('worker exited: starting a replacement');
    const after = await load(`${lb.url}/`, 100, 8);
    expect(after.filter((r) => r.startsWith('error') || r.startsWith('status'))).toEqual([]);
  });

  it('on SIGTERM drains both workers and exits 0', async () => {
    const backend = await startTestBackend('slow', 500);
    const lb = await startBalancerProcess({ WORKERS: '2', BACKEND_SERVERS: servers([backend]), HEALTH_CHECKS: 'off' });
    const inFlight = fetch(`${lb.url}/`);
    await waitFor(() => backend.hits === 1, 5000, 'the request to reach the backend');
    lb.child.kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    const [code] = await once(lb.child, 'exit');
    expect(code).toBe(0);
  });
});
