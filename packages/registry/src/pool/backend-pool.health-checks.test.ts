import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, startTestBackend, type TestBackend, waitFor } from '../../test/http-backend.js';
import { StaticSource } from '../sources/static/static-source.js';
import type { HealthChangeDetail } from './backend.js';
import { BackendPool } from './backend-pool.js';

// Real HTTP servers on 127.0.0.1 and the real clock, with short intervals.
const healthCheck = { intervalMs: 15, timeoutMs: 300, rise: 2, fall: 3 };
const quiet = { slowStartMs: 0, outlierDetection: false, panicThreshold: 0 } as const;

describe('BackendPool active health checks', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function setup(ports: number[], extra: Partial<typeof healthCheck> & { path?: string } = {}) {
    const source = new StaticSource(ports.map((port) => ({ id: `127.0.0.1:${port}`, host: '127.0.0.1', port, weight: 1 })));
    const pool = new BackendPool(source, { ...quiet, healthCheck: { ...healthCheck, ...extra } });
    const events: { detail: HealthChangeDetail; checksPassed: number; checksFailed: number }[] = [];
    pool.addEventListener('health', ({ detail }) => events.push({ detail, ...detail.backend.counters }));
    cleanup.push(() => pool.close());
    await pool.start();
    return { pool, events };
  }

  async function backend(): Promise<TestBackend> {
    const started = await startTestBackend();
    cleanup.push(() => started.close());
    return started;
  }

  it('marks a backend unhealthy after `fall` failed checks and healthy again after `rise` passes', async () => {
    const server = await backend();
    const { pool, events } = await setup([server.port]);
    const [b] = pool.all();
    await waitFor(() => b!.counters.checksPassed >= 2, 3000, 'two passing checks');
    expect(b!.healthy).toBe(true);
    expect(events).toEqual([]); // backends start healthy; passing checks are not transitions

    server.healthStatus = 500;
    await waitFor(() => events.length === 1, 3000, 'the down transition');
    const passedBefore = events[0]!.checksPassed;
    expect(events[0]).toMatchObject({
      detail: { backend: b, healthy: false, reason: 'check_failed', message: '3 consecutive failed checks of GET /health, last: HTTP 500' },
      checksFailed: 3,
    });
    expect(b).toMatchObject({ healthy: false, failingChecks: true, lastCheck: 'HTTP 500' });
    expect(pool.eligible()).toEqual([]);

    server.healthStatus = 200;
    await waitFor(() => events.length === 2, 3000, 'the up transition');
    expect(events[1]).toMatchObject({
      detail: { backend: b, healthy: true, reason: 'check_passed', message: '2 consecutive passing checks of GET /health' },
      checksPassed: passedBefore + 2,
      checksFailed: 3,
    });
    expect(pool.eligible()).toEqual([b]);
  });

  it('marks a backend whose port is closed as down, and keeps the others', async () => {
    const server = await backend();
    const dead = await closedPort();
    const { pool, events } = await setup([server.port, dead]);
    await waitFor(() => events.length === 1, 3000, 'the dead backend to go down');
    expect(events[0]!.detail).toMatchObject({ healthy: false, reason: 'check_failed' });
    expect(events[0]!.detail.backend.id).toBe(`127.0.0.1:${dead}`);
    expect(events[0]!.detail.message).toMatch(/last: ECONNREFUSED$/);
    expect(pool.eligible().map((b) => b.port)).toEqual([server.port]);
  });

  it('uses the per-backend health path, and fails checks that time out', async () => {
    const server = await backend();
    const source = new StaticSource([{ id: 'slow', host: '127.0.0.1', port: server.port, weight: 1, healthPath: '/hang' }]);
    const pool = new BackendPool(source, { ...quiet, healthCheck: { ...healthCheck, timeoutMs: 20, fall: 1 } });
    cleanup.push(() => pool.close());
    await pool.start();
    const [b] = pool.all();
    await waitFor(() => !b!.healthy, 3000, 'the timeout to mark it down');
    expect(b!.lastCheck).toBe('timeout after 20 ms');
    expect(b!.healthPath).toBe('/hang');
  });

  it('starts checking backends the source adds and stops checking removed ones', async () => {
    const [one, two] = [await backend(), await backend()];
    const address = (port: number) => ({ id: `127.0.0.1:${port}`, host: '127.0.0.1', port, weight: 1 });
    const source = new StaticSource([address(one.port)]);
    const pool = new BackendPool(source, { ...quiet, healthCheck });
    cleanup.push(() => pool.close());
    await pool.start();
    await waitFor(() => one.healthRequests >= 1);
    source.replace([address(two.port)]);
    await waitFor(() => two.healthRequests >= 2);
    const stoppedAt = one.healthRequests;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(one.healthRequests).toBe(stoppedAt);
  });

  it('close() aborts checks, closes their connections and stops probing', async () => {
    const server = await backend();
    const { pool } = await setup([server.port]);
    await waitFor(() => server.healthRequests >= 2);
    expect(await server.connections()).toBeGreaterThan(0); // the checker's keep-alive connection
    await pool.close();
    // A check aborted by close() may still reach the server; after its connection is gone, nothing more may.
    await waitFor(async () => (await server.connections()) === 0, 1000, 'the connection to close');
    const after = server.healthRequests;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(server.healthRequests).toBe(after);
  });
});
