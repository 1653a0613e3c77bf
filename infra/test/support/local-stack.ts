import {
  type BackendSpec,
  type LocalStack,
  REPO_ROOT,
  type RunningBalancer,
  startBalancer as startSharedBalancer,
  startLocalStack as startSharedStack,
} from '../../../test-support/local-stack.js';

/**
 * The balancer and demo backends as real processes on 127.0.0.1, from the repository's one
 * harness (test-support/local-stack.js), with the settings these tests want: health checks
 * fast enough that a backend that dies shows as down within a second, short drains.
 */
export const REPO = REPO_ROOT;
export type { LocalStack, RunningBalancer };

const BACKEND_ENV = { SHUTDOWN_TIMEOUT_MS: '1000' };
const BALANCER_ENV = { HEALTH_CHECK_INTERVAL_MS: '250', HEALTH_CHECK_TIMEOUT_MS: '500', SLOW_START_MS: '0', SHUTDOWN_TIMEOUT_MS: '2000' };

/**
 * A balancer alone in front of `servers` (BACKEND_SERVERS), ready once it listens (`/healthz`):
 * its backends need not be up. Extra variables (RATE_LIMIT_RPS, PANIC_THRESHOLD, ...) in `env`.
 */
export function startBalancer(servers: string, env: Record<string, string> = {}): Promise<RunningBalancer> {
  return startSharedBalancer(servers, { env: { ...BALANCER_ENV, ...env }, waitFor: 'healthz' });
}

/** Backends, then a balancer in front of all of them, ready (`/readyz`) when this resolves. */
export function startLocalStack(specs: readonly BackendSpec[], balancerEnv: Record<string, string> = {}): Promise<LocalStack> {
  return startSharedStack({ backends: specs, backendEnv: BACKEND_ENV, balancerEnv: { ...BALANCER_ENV, ...balancerEnv } });
}
