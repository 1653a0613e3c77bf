import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { BALANCER_NODE_FLAGS, startLocalStack } from '../../../test-support/local-stack.js';

const MODULE = fileURLToPath(new URL('../least-time.ts', import.meta.url));

/** `count` GETs, `concurrency` at a time; the backend that served each (x-lbpoc-backend). */
async function servedBy(url: string, count: number, concurrency: number): Promise<string[]> {
  const served: string[] = [];
  let sent = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < count) {
        sent++;
        const response = await fetch(url);
        await response.arrayBuffer();
        expect(response.status).toBe(200);
        expect(response.headers.get('x-lbpoc-algorithm')).toBe('least_time');
        served.push(response.headers.get('x-lbpoc-backend') ?? '');
      }
    }),
  );
  return served;
}

describe('least_time loaded by a real balancer (ALGORITHM_MODULES, two workers)', () => {
  it('sends the slow backend far fewer requests than its third, and exports its gauges', async () => {
    const stack = await startLocalStack({
      backends: [
        { id: 'fast', delay: '2' },
        { id: 'medium', delay: '8' },
        { id: 'slow', delay: '60' },
      ],
      balancerEnv: { ALGORITHM_MODULES: MODULE, WORKERS: '2', LOG_LEVEL: 'warn' },
      nodeFlags: BALANCER_NODE_FLAGS,
      readyTimeoutMs: 20_000,
    });
    onTestFinished(async () => {
      await stack.stop();
    });
    const slow = stack.backends[2]!.address;

    const served = await servedBy(`${stack.balancer.url}/?algo=least_time`, 300, 6);
    const slowShare = served.filter((address) => address === slow).length / served.length;
    // Round robin would give it 1/3; least_time learns within its first few picks.
    expect(slowShare).toBeLessThan(0.15);

    const listed = (await (await fetch(`${stack.balancer.adminUrl}/backends`)).json()) as { algorithms: string[]; workers: number };
    expect(listed.workers).toBe(2);
    expect(listed.algorithms).toContain('least_time');
    const metrics = await (await fetch(`${stack.balancer.adminUrl}/metrics`)).text();
    const gauge = (name: string) => Number(new RegExp(`^lbpoc_algorithm_gauge\\{algorithm="least_time",gauge="${name}"\\} (\\S+)$`, 'm').exec(metrics)?.[1]);
    // Averaged over the two workers: each tracks the backends its own requests reached.
    expect(gauge('tracked_servers')).toBeGreaterThan(0);
    expect(gauge('tracked_servers')).toBeLessThanOrEqual(3);
    expect(gauge('slowest_ms')).toBeGreaterThan(gauge('fastest_ms'));
    expect(metrics).toMatch(/^lbpoc_requests_total\{algorithm="least_time",backend="[^"]+",status_class="2xx"\} \d+$/m);
  });
});
