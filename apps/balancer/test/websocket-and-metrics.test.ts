import { BALANCER_METRIC_NAMES } from '@lbpoc/metrics';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestBackend, type TestBackend } from './test-backend.js';
import { startTestBalancer, type TestBalancer } from './test-balancer.js';

let backends: TestBackend[] = [];
let lb: TestBalancer | undefined;

describe('websocket', () => {
  it('proxies an upgrade and echoes through the chosen backend', async () => {
    backends = await Promise.all([0, 1].map((i) => startTestBackend(`b${i}`)));
    lb = await startTestBalancer(backends);
    const ws = new WebSocket(`${lb.url.replace('http', 'ws')}/ws?algo=round_robin`);
    const reply = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send('hello'));
      ws.on('message', (data) => resolve(String(data)));
      ws.on('error', reject);
    });
    expect(reply).toMatch(/^b[01]:hello$/);
    expect(lb.balancer.pool.all().reduce((sum, b) => sum + b.inFlight, 0)).toBe(1); // the open socket counts
    ws.close();
    await new Promise((resolve) => ws.on('close', resolve));
  });
});

describe('metrics', () => {
  it('exposes every documented balancer metric name, on its own registry', async () => {
    backends = [await startTestBackend('b0')];
    lb = await startTestBalancer(backends);
    await (await fetch(`${lb.url}/`)).arrayBuffer(); // adaptive: a request and a decision
    await (await fetch(`${lb.url}/?algo=nope`)).arrayBuffer(); // a rejection
    const text = await (await fetch(`${lb.adminUrl}/metrics`)).text();
    for (const name of BALANCER_METRIC_NAMES) expect(text, name).toContain(`# TYPE ${name} `);
    expect(text).toMatch(
      /lbpoc_requests_total\{algorithm="(round_robin|weighted_round_robin|least_connections)",backend="127\.0\.0\.1:\d+",status_class="2xx"\} 1/,
    );
    expect(text).toContain('lbpoc_rejected_requests_total{reason="unknown_algorithm"} 1');
    expect(text).toMatch(/lbpoc_backend_up\{backend="127\.0\.0\.1:\d+"\} 1/);
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('serves /healthz, /readyz and /backends, and refuses writes', async () => {
    backends = [await startTestBackend('b0')];
    lb = await startTestBalancer(backends, {}, [3]);
    expect((await fetch(`${lb.adminUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${lb.adminUrl}/readyz`)).status).toBe(200);
    const body = (await (await fetch(`${lb.adminUrl}/backends`)).json()) as { backends: Record<string, unknown>[] };
    expect(body.backends[0]).toMatchObject({ id: `127.0.0.1:${backends[0]!.port}`, weight: 3, healthy: true, inFlight: 0 });
    expect((await fetch(`${lb.adminUrl}/backends`, { method: 'POST' })).status).toBe(405);
  });
});
