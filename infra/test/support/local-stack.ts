import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../test-support/free-port.js';
import { Child, httpOk, waitUntil } from './child.js';

/**
 * The balancer and demo backends as real processes on 127.0.0.1, started the way
 * scripts/demo.mjs does (the built dist/main.js of each app, configured by environment).
 */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const BACKEND_MAIN = `${REPO}apps/backend/dist/main.js`;
const BALANCER_MAIN = `${REPO}apps/balancer/dist/main.js`;

export interface BackendSpec {
  id: string;
  /** SIMULATED_DELAY: `5`, `10-30`, `exp:80`, ... */
  delay: string;
  weight?: number;
  errorRate?: number;
}

export interface RunningBackend {
  id: string;
  port: number;
  metricsPort: number;
  weight: number;
  child: Child;
}

export interface RunningBalancer {
  url: string;
  adminUrl: string;
  port: number;
  metricsPort: number;
  child: Child;
}

function requireBuilt(path: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: run  pnpm build  first (turbo's test task builds the apps before these tests)`);
}

export async function startBackend(spec: BackendSpec): Promise<RunningBackend> {
  requireBuilt(BACKEND_MAIN);
  const port = await freePort();
  const metricsPort = await freePort();
  const child = new Child(`backend ${spec.id}`, process.execPath, [BACKEND_MAIN], {
    env: {
      SERVER_ID: spec.id,
      SIMULATED_DELAY: spec.delay,
      ERROR_RATE: String(spec.errorRate ?? 0),
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      SHUTDOWN_TIMEOUT_MS: '1000',
    },
  });
  await waitUntil(() => httpOk(`http://127.0.0.1:${port}/health`), `backend ${spec.id} /health`, 10_000, child);
  return { id: spec.id, port, metricsPort, weight: spec.weight ?? 1, child };
}

/** `servers` is BACKEND_SERVERS; extra variables (RATE_LIMIT_RPS, PANIC_THRESHOLD, ...) in `env`. */
export async function startBalancer(servers: string, env: Record<string, string> = {}): Promise<RunningBalancer> {
  requireBuilt(BALANCER_MAIN);
  const port = await freePort();
  const metricsPort = await freePort();
  const child = new Child('balancer', process.execPath, [BALANCER_MAIN], {
    env: {
      BACKEND_SERVERS: servers,
      HOST: '127.0.0.1',
      METRICS_HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: 'warn',
      // Fast health checks so a backend that dies shows as down within a second.
      HEALTH_CHECK_INTERVAL_MS: '250',
      HEALTH_CHECK_TIMEOUT_MS: '500',
      SLOW_START_MS: '0',
      SHUTDOWN_TIMEOUT_MS: '2000',
      ...env,
    },
  });
  await waitUntil(() => httpOk(`http://127.0.0.1:${metricsPort}/healthz`), 'the balancer /healthz', 10_000, child);
  return { url: `http://127.0.0.1:${port}`, adminUrl: `http://127.0.0.1:${metricsPort}`, port, metricsPort, child };
}

export interface LocalStack {
  balancer: RunningBalancer;
  backends: RunningBackend[];
  stop(): Promise<void>;
}

/** Backends, then a balancer in front of all of them, ready (`/readyz`) when this resolves. */
export async function startLocalStack(specs: readonly BackendSpec[], balancerEnv: Record<string, string> = {}): Promise<LocalStack> {
  const backends: RunningBackend[] = [];
  try {
    for (const spec of specs) backends.push(await startBackend(spec));
    const servers = backends.map((b) => `127.0.0.1:${b.port}@${b.weight}`).join(',');
    const balancer = await startBalancer(servers, balancerEnv);
    await waitUntil(() => httpOk(`${balancer.adminUrl}/readyz`), 'the balancer /readyz', 10_000, balancer.child);
    return {
      balancer,
      backends,
      // The balancer first, so it does not see its backends go away.
      stop: async () => {
        await balancer.child.stop();
        await Promise.all(backends.map((b) => b.child.stop()));
      },
    };
  } catch (error) {
    await Promise.all(backends.map((b) => b.child.stop()));
    throw error;
  }
}
