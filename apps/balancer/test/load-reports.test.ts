import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startBalancerProcess } from './balancer-process.js';
import { startTestBalancer, tally, waitFor } from './test-balancer.js';

/**
 * Backends that report their own load (`endpoint-load-metrics`, as lbpoc's backend does):
 * the balancer reads it from responses and from its probes, keeps it from the client, and
 * the load-aware algorithms decide on it. Counts, not timings.
 */

interface ReportingBackend {
  readonly port: number;
  readonly address: string;
  /** Requests by path. */
  readonly hits: Map<string, number>;
}

/** A backend on 127.0.0.1 that answers everything 200, with `report` as its load header (or none). */
async function reportingBackend(report: string | undefined): Promise<ReportingBackend> {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    hits.set(req.url ?? '', (hits.get(req.url ?? '') ?? 0) + 1);
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain', ...(report !== undefined && { 'endpoint-load-metrics': report }) }).end('ok\n');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(() => {
    server.closeAllConnections();
    server.close();
  });
  const port = (server.address() as AddressInfo).port;
  return { port, address: `127.0.0.1:${port}`, hits };
}

interface BackendsBody {
  backends: { id: string; load: { inFlight: number | null; ageMs: number } | null }[];
}

async function loadOf(adminUrl: string, id: string) {
  const body = (await (await fetch(`${adminUrl}/backends`)).json()) as BackendsBody;
  return body.backends.find((b) => b.id === id)?.load;
}

async function metric(adminUrl: string, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${adminUrl}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) if (pattern.test(line)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

describe('load reports', () => {
  it("reads a response's load report for the algorithms and /backends, and does not pass it to the client", async () => {
    const busy = await reportingBackend('TEXT cpu_utilization=0.5, named_metrics.rif=7');
    const lb = await startTestBalancer([busy as never], { LOAD_PROBE_INTERVAL_MS: '0', HEALTH_CHECKS: 'off' });
    const response = await fetch(`${lb.url}/x`);
    await response.arrayBuffer();
    expect(response.status).toBe(200);
    expect(response.headers.get('endpoint-load-metrics')).toBeNull();
    expect(await loadOf(lb.adminUrl, busy.address)).toMatchObject({ inFlight: 7, utilization: 0.5 });
    expect(busy.hits.get('/load') ?? 0, 'probing is off').toBe(0);
  });

  it('probes every backend off the request path, and a backend that never reports only now and then', async () => {
    const reporting = await reportingBackend('TEXT named_metrics.rif=2');
    const silent = await reportingBackend(undefined);
    const lb = await startTestBalancer([reporting as never, silent as never], {
      LOAD_PROBE_INTERVAL_MS: '20',
      HEALTH_CHECKS: 'off',
      DEFAULT_ALGORITHM: 'prequal',
    });
    await waitFor(() => (reporting.hits.get('/load') ?? 0) >= 60, 20_000, '60 probes of the reporting backend');
    const rounds = reporting.hits.get('/load') ?? 0;
    expect(await loadOf(lb.adminUrl, reporting.address)).toMatchObject({ inFlight: 2 });
    expect(await loadOf(lb.adminUrl, silent.address)).toBeNull();
    // Three answers without a report, then one probe every 20 rounds. A round skips a backend
    // whose last probe is still out, so the reporting backend's count is at most the rounds:
    // bound by half of it, which probing the silent one every round would exceed.
    expect(silent.hits.get('/load') ?? 0).toBeGreaterThanOrEqual(3);
    expect(silent.hits.get('/load') ?? 0).toBeLessThanOrEqual(rounds / 2);
    // Counted once the answer is read: the probe out when the hits were read may not be in yet.
    expect(await metric(lb.adminUrl, /^lbpoc_load_probes_total\{.*result="ok"/)).toBeGreaterThanOrEqual(rounds - 2);
    expect(await metric(lb.adminUrl, /^lbpoc_load_probes_total\{.*result="unusable"/)).toBeGreaterThanOrEqual(3);
    expect(await metric(lb.adminUrl, new RegExp(`^lbpoc_backend_reported_in_flight\\{backend="${reporting.address}"`))).toBe(2);
    expect(reporting.hits.size, 'only probes: no request was sent').toBe(1);
  });

  it('sends no probe while no load-aware algorithm is in use, and starts once one serves a request', async () => {
    const backend = await reportingBackend('TEXT named_metrics.rif=1');
    const lb = await startTestBalancer([backend as never], { LOAD_PROBE_INTERVAL_MS: '20', HEALTH_CHECKS: 'off', DEFAULT_ALGORITHM: 'round_robin' });
    for (let i = 0; i < 20; i++) await (await fetch(`${lb.url}/?algo=least_connections`)).arrayBuffer();
    // A second of status-page windows (where the use is read) and dozens of probe intervals went by.
    expect(backend.hits.get('/')).toBe(20);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(backend.hits.get('/load') ?? 0, 'no probe for round_robin and least_connections').toBe(0);
    await (await fetch(`${lb.url}/?algo=prequal`)).arrayBuffer();
    await waitFor(() => (backend.hits.get('/load') ?? 0) >= 3, 10_000, 'probes once prequal served a request');
  });

  it('with worker threads, prequal keeps away from the backend whose own report says it is loaded', async () => {
    const loaded = await reportingBackend('TEXT named_metrics.rif=40, named_metrics.latency_ms=300');
    const idle = [
      await reportingBackend('TEXT named_metrics.rif=0, named_metrics.latency_ms=5'),
      await reportingBackend('TEXT named_metrics.rif=1, named_metrics.latency_ms=6'),
    ];
    const all = [loaded, ...idle];
    const lb = await startBalancerProcess({
      WORKERS: '2',
      BACKEND_SERVERS: all.map((b) => b.address).join(','),
      HEALTH_CHECKS: 'off',
      LOAD_PROBE_INTERVAL_MS: '100',
      DEFAULT_ALGORITHM: 'prequal',
    });
    // The primary probes; its answers reach both workers.
    await waitFor(
      async () => (await Promise.all(all.map((b) => loadOf(lb.adminUrl, b.address)))).every((load) => load != null),
      10_000,
      'a report from every backend',
    );
    await waitFor(() => all.every((b) => (b.hits.get('/load') ?? 0) >= 3), 10_000, 'a few probe rounds');
    const served: string[] = [];
    for (let i = 0; i < 90; i++) {
      const response = await fetch(`${lb.url}/?algo=prequal`, { headers: { connection: 'close' } });
      await response.arrayBuffer();
      served.push(response.headers.get('x-lbpoc-backend') ?? `status ${response.status}`);
    }
    const counts = tally(served);
    expect(counts[loaded.address] ?? 0, JSON.stringify(counts)).toBe(0);
    // Every request served, by the idle ones (prequal takes the cold one with the lowest latency).
    expect(
      idle.reduce((sum, b) => sum + (counts[b.address] ?? 0), 0),
      JSON.stringify(counts),
    ).toBe(90);
  });

  it('a backend whose load endpoint never answers: probes time out one at a time, and its requests are still served', async () => {
    let open = 0;
    let mostOpen = 0;
    let served = 0;
    const server = createServer((req, res) => {
      if (req.url === '/load') {
        // Hangs: never answers, holds the connection until the balancer gives up on it.
        open++;
        mostOpen = Math.max(mostOpen, open);
        req.socket.once('close', () => open--);
        return;
      }
      served++;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    onTestFinished(() => {
      server.closeAllConnections();
      server.close();
    });
    const hanging = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const other = await reportingBackend('TEXT named_metrics.rif=1');
    const lb = await startTestBalancer([{ port: (server.address() as AddressInfo).port } as never, other as never], {
      DEFAULT_ALGORITHM: 'prequal',
      LOAD_PROBE_INTERVAL_MS: '50',
      HEALTH_CHECKS: 'off',
    });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const response = await fetch(`${lb.url}/`);
      await response.arrayBuffer();
      statuses.push(response.status);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(served, 'the backend with the silent load endpoint still gets requests').toBeGreaterThan(0);
    await waitFor(
      async () => (await metric(lb.adminUrl, new RegExp(`^lbpoc_load_probes_total\\{backend="${hanging}",result="failed"`))) >= 3,
      5000,
      'timed-out probes',
    );
    expect(mostOpen, 'at most one probe of a backend in flight at a time').toBe(1);
    expect(await loadOf(lb.adminUrl, hanging)).toBeNull();
  });
});
