import { ALGORITHM_NAMES } from '@lbpoc/algorithms';
import { describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from './test-backend.js';
import { startTestBalancer, type TestBalancer, waitFor } from './test-balancer.js';

let backends: TestBackend[] = [];
let lb: TestBalancer | undefined;

async function backendStatus(id: string): Promise<{ healthy: boolean; ejected: boolean; failingChecks: boolean }> {
  const body = (await (await fetch(`${lb!.adminUrl}/backends`)).json()) as {
    backends: { id: string; healthy: boolean; ejected: boolean; failingChecks: boolean }[];
  };
  return body.backends.find((b) => b.id === id)!;
}

describe('failures', () => {
  it('answers an unknown algorithm with 400 and the list of valid names', async () => {
    backends = [await startTestBackend('b0')];
    lb = await startTestBalancer(backends);
    const response = await fetch(`${lb.url}/?algo=fastest`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; value: string; allowed: string[]; message: string };
    expect(body.error).toBe('unknown_algorithm');
    expect(body.value).toBe('fastest');
    expect(body.allowed).toEqual([...ALGORITHM_NAMES]);
    expect(body.message).toContain('round_robin');
    expect(backends[0]!.hits).toBe(0);
  });

  it('loses no GET when a backend dies mid-run, ejects it, and readmits it when it returns', async () => {
    backends = await Promise.all([0, 1, 2].map((i) => startTestBackend(`b${i}`)));
    lb = await startTestBalancer(backends, { HEALTH_CHECK_FALL: '2', HEALTH_CHECK_RISE: '2', PANIC_THRESHOLD: '0' });
    const victim = backends[1]!;
    const victimId = `127.0.0.1:${victim.port}`;
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++) {
      if (i === 100) await victim.kill();
      const response = await fetch(`${lb.url}/?algo=round_robin`);
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    await waitFor(async () => !(await backendStatus(victimId)).healthy, 5000, 'the dead backend to be marked unhealthy');

    await victim.revive();
    await waitFor(async () => (await backendStatus(victimId)).healthy, 10_000, 'the revived backend to be readmitted');
    const before = victim.hits;
    for (let i = 0; i < 30; i++) await (await fetch(`${lb.url}/?algo=round_robin`)).arrayBuffer();
    expect(victim.hits - before).toBe(10);
  });

  it('answers 503 with a JSON body and Retry-After when every backend is down', async () => {
    backends = await Promise.all([0, 1].map((i) => startTestBackend(`b${i}`)));
    lb = await startTestBalancer(backends, { HEALTH_CHECK_FALL: '1', PANIC_THRESHOLD: '0' });
    await Promise.all(backends.map((b) => b.kill()));
    await waitFor(() => lb!.balancer.pool.eligible().length === 0, 5000, 'every backend to be marked down');
    const response = await fetch(`${lb.url}/`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(((await response.json()) as { error: string }).error).toBe('no_backend');
    const ready = await fetch(`${lb.adminUrl}/readyz`);
    expect(ready.status).toBe(503);
  });

  it('answers 502 with JSON when the only backend refuses, and 504 when it is too slow', async () => {
    backends = [await startTestBackend('slow', 500)];
    lb = await startTestBalancer(backends, { UPSTREAM_TIMEOUT_MS: '100', HEALTH_CHECKS: 'off' });
    const slow = await fetch(`${lb.url}/`);
    expect(slow.status).toBe(504);
    expect(((await slow.json()) as { error: string }).error).toBe('gateway_timeout');
    await backends[0]!.kill();
    const refused = await fetch(`${lb.url}/`);
    expect(refused.status).toBe(502);
    const body = (await refused.json()) as { error: string; message: string; request_id: string };
    expect(body).toEqual({ error: 'bad_gateway', message: 'the backend failed to answer', request_id: refused.headers.get('x-request-id') });
    // Which backend failed is for the operator (log, header), not in the body: no internal address or error code.
    expect(refused.headers.get('x-lbpoc-backend')).toBe(`127.0.0.1:${backends[0]!.port}`);
  });

  it('retries a small POST on another backend when the first refuses the connection', async () => {
    backends = await Promise.all([0, 1].map((i) => startTestBackend(`b${i}`)));
    lb = await startTestBalancer(backends, { HEALTH_CHECKS: 'off' });
    await backends[0]!.kill();
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${lb.url}/?algo=round_robin`, { method: 'POST', body: JSON.stringify({ n: i }) });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-lbpoc-backend')).toBe(`127.0.0.1:${backends[1]!.port}`);
    }
  });

  it('tries up to RETRIES other backends, never the same one twice: three dead of four lose no GET', async () => {
    backends = await Promise.all([0, 1, 2, 3].map((i) => startTestBackend(`b${i}`)));
    // Nothing takes the dead out of the pool (no checks, no ejection): only the retries save the requests.
    const keepDead = { HEALTH_CHECKS: 'off', EJECT_AFTER_CONNECT_FAILURES: '0' };
    await Promise.all(backends.slice(0, 3).map((b) => b.kill()));
    const survivor = `127.0.0.1:${backends[3]!.port}`;
    const statusesWith = async (retries: string): Promise<number[]> => {
      lb = await startTestBalancer(backends, { ...keepDead, RETRIES: retries });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        const response = await fetch(`${lb.url}/?algo=random`);
        await response.arrayBuffer();
        statuses.push(response.status);
        if (response.status === 200) expect(response.headers.get('x-lbpoc-backend')).toBe(survivor);
      }
      await lb.close();
      return statuses;
    };
    expect((await statusesWith('3')).filter((status) => status !== 200)).toEqual([]);
    // Without retries the same traffic fails wherever the first pick is dead: the test can tell.
    expect((await statusesWith('0')).filter((status) => status === 502).length).toBeGreaterThan(0);
  });
});
