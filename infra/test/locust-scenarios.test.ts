import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Child } from './support/child.js';
import { type LocalStack, startLocalStack } from './support/local-stack.js';
import { expectedRequests, LOCUST_DIR, runLocust, scenarioPlan } from './support/locust.js';
import { requireTool } from './support/tools.js';

/**
 * Each of the seed's five scenarios, shortened with TIME_SCALE to 20-32 seconds, run by
 * the real Locust against a real balancer and backends on 127.0.0.1. Locust's own CSV
 * statistics must show no failure and the request rate the scenario asks for (within 10%).
 */
const RUNS = [
  { scenario: 'baseline', timeScale: 0.08 }, // 5 min at 10/s -> 24 s
  { scenario: 'gradual', timeScale: 0.04 }, // 10 -> 100/s in ten 2 s steps
  { scenario: 'spike', timeScale: 0.08 }, // 10 s at 10/s, 5 s at 200/s, 10 s at 10/s
  { scenario: 'endurance', timeScale: 0.0133 }, // 30 min at 50/s -> 24 s
  { scenario: 'algorithm_comparison', timeScale: 1 / 30 }, // 4 s at 50/s per algorithm
];

let stack: LocalStack;

beforeAll(async () => {
  requireTool('locust');
  // The demo's three backends (scripts/demo.mjs): fast, medium, and a slow long tail.
  stack = await startLocalStack([
    { id: 'fast', delay: '5', weight: 3 },
    { id: 'medium', delay: '10-30', weight: 2 },
    { id: 'slow', delay: 'exp:80', weight: 1 },
  ]);
});

afterAll(async () => {
  await stack?.stop();
});

const aggregated = (rows: Record<string, string>[]) => rows.find((row) => row.Name === 'Aggregated')!;

describe('Locust scenarios', () => {
  it('plans the seed scenarios at full length', () => {
    expect(scenarioPlan('baseline', 1)).toEqual([{ seconds: 300, rps: 10, algorithm: null }]);
    const gradual = scenarioPlan('gradual', 1);
    expect([gradual[0]!.rps, gradual.at(-1)!.rps]).toEqual([10, 100]);
    expect(scenarioPlan('spike', 1).map((s) => s.rps)).toEqual([10, 200, 10]);
    expect(scenarioPlan('endurance', 1)).toEqual([{ seconds: 1800, rps: 50, algorithm: null }]);
    expect(scenarioPlan('algorithm_comparison', 1).map((s) => s.algorithm)).toEqual([
      'round_robin',
      'weighted_round_robin',
      'least_connections',
      'ip_hash',
      'random',
      'p2c',
      'peak_ewma',
      'adaptive',
    ]);
  });

  it.each(RUNS)('$scenario (TIME_SCALE $timeScale): no failures, the planned request rate within 10%', async ({ scenario, timeScale }) => {
    const run = await runLocust({ scenario, timeScale, host: stack.balancer.url });
    expect(run.code, run.log).toBe(0);
    const total = aggregated(run.stats);
    expect(Number(total['Failure Count']), run.log).toBe(0);

    const expected = expectedRequests(run.plan);
    const actual = Number(total['Request Count']);
    process.stdout.write(`locust ${scenario}: planned ${expected} requests, made ${actual}, ${total['Failure Count']} failures\n`);
    expect(Math.abs(actual - expected) / expected, `${scenario}: ${actual} requests, planned ${expected}`).toBeLessThanOrEqual(0.1);

    // The shape reached each stage's user count (one user = one request/s).
    const users = run.history.map((row) => Number(row['User Count']));
    expect(Math.max(...users)).toBe(Math.max(...run.plan.map((s) => s.rps)));

    if (scenario === 'algorithm_comparison') {
      // The same load against each algorithm in turn: each got its stage's share.
      for (const stage of run.plan) {
        const row = run.stats.find((r) => r.Name === `/?algo=${stage.algorithm}`);
        const planned = stage.seconds * stage.rps;
        expect(row, `no requests with ?algo=${stage.algorithm}`).toBeDefined();
        expect(Math.abs(Number(row!['Request Count']) - planned) / planned, `${stage.algorithm}: ${row!['Request Count']} of ${planned}`).toBeLessThanOrEqual(
          0.1,
        );
      }
    }
  });

  it('refuses an unknown scenario by name, listing the known ones', async () => {
    const child = new Child('locust', requireTool('locust'), ['-f', `${LOCUST_DIR}locustfile.py`, '--headless', '--host', stack.balancer.url], {
      env: { SCENARIO: 'tsunami' },
    });
    const code = await child.wait(30_000);
    expect(code).not.toBe(0);
    expect(child.log).toContain("unknown scenario 'tsunami'; choose one of baseline, gradual, spike, endurance, algorithm_comparison");
  });
});
