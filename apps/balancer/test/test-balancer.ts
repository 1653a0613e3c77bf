import { pino } from 'pino';
import { onTestFinished } from 'vitest';
import { type Balancer, startBalancer } from '../src/balancer.js';
import { loadConfig } from '../src/config/config.js';
import type { TestBackend } from './test-backend.js';

export interface TestBalancer {
  readonly balancer: Balancer;
  readonly url: string;
  readonly adminUrl: string;
  close(): Promise<void>;
}

/**
 * The real balancer, in-process, on ephemeral ports of 127.0.0.1, in front of `backends`
 * (`weights[i]` optional). Health checks run fast so tests do not wait long. Call it
 * inside a test: it stops when that test ends (closing it earlier is fine).
 */
export async function startTestBalancer(
  backends: readonly TestBackend[],
  env: Record<string, string> = {},
  weights: readonly number[] = [],
): Promise<TestBalancer> {
  const servers = backends.map((b, i) => `127.0.0.1:${b.port}${weights[i] === undefined ? '' : `@${weights[i]}`}`).join(',');
  const config = loadConfig({
    BACKEND_SERVERS: servers,
    HOST: '127.0.0.1',
    METRICS_HOST: '127.0.0.1',
    PORT: '0',
    METRICS_PORT: '0',
    HEALTH_CHECK_INTERVAL_MS: '100',
    HEALTH_CHECK_TIMEOUT_MS: '200',
    SLOW_START_MS: '0',
    SHUTDOWN_TIMEOUT_MS: '2000',
    ...env,
  });
  const balancer = await startBalancer(config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }));
  // onTestFinished runs last-registered first: the balancer stops before its backends.
  onTestFinished(async () => {
    await balancer.close();
  });
  return {
    balancer,
    url: `http://127.0.0.1:${balancer.port}`,
    adminUrl: `http://127.0.0.1:${balancer.metricsPort}`,
    close: async () => {
      await balancer.close();
    },
  };
}

/** Sequential GETs; returns the backend header of each response. */
export async function servedBy(url: string, count: number, init: RequestInit = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(url, init);
    await response.arrayBuffer();
    ids.push(`${response.status}:${response.headers.get('x-lbpoc-backend')}`);
  }
  return ids;
}

export function tally(values: readonly string[]): Record<string, number> {
  const result: Record<string, number> = {};
  for (const value of values) result[value] = (result[value] ?? 0) + 1;
  return result;
}

export async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
