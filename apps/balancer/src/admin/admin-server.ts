import { createServer, type IncomingMessage, type ServerOptions, type ServerResponse } from 'node:http';
import { type BalancerMetrics, type MetricsSource, metricsHandler } from '@lbpoc/metrics';
import type { BackendPool } from '@lbpoc/registry';
import type { Logger } from 'pino';
import { connectionsCheckingInterval } from '../front-door/traffic-server.js';
import { sendJson } from '../json-response.js';
import type { AlgorithmSet } from '../routing/algorithm-set.js';
import { createStatusPage } from '../status-page/status-page.js';
import type { TrafficWindows } from '../status-page/traffic-windows.js';
import { ADMIN_CHANGE_ROUTES, createAdminChanges, type WorkerControl } from './admin-changes.js';
import type { AdminToken } from './admin-token.js';

/**
 * The admin port's limits, smaller than the traffic port's: its clients are Prometheus,
 * a status page and an operator's curl, whose requests are small and quick. Without them
 * node's defaults apply: no cap on connections, a minute to send a request head, 16 KiB
 * of headers, so anyone who reaches the port could hold it open byte by byte (slowloris).
 */
export const ADMIN_LIMITS = {
  /** Concurrent connections; more are closed at once. */
  maxConnections: 256,
  /** The request head must arrive within this, else 408 and close. */
  headersTimeoutMs: 10_000,
  /** The whole request, body included (a write route's JSON), within this. */
  requestTimeoutMs: 30_000,
  /** Request target plus headers (a bearer token of up to 1024 characters fits). */
  maxHeaderBytes: 8 * 1024,
  /** Idle keep-alive connections close after this: above a 15 s scrape interval, so Prometheus reuses its connection. */
  keepAliveTimeoutMs: 20_000,
} as const;

export type AdminLimits = { readonly [K in keyof typeof ADMIN_LIMITS]: number };

export interface AdminDeps {
  readonly pool: BackendPool;
  readonly metrics: BalancerMetrics;
  readonly algorithms: AlgorithmSet;
  /** False once shutdown began, so load balancers in front stop sending traffic here. */
  readonly accepting: () => boolean;
  /** `ADMIN_TOKEN`: unlocks the write routes; undefined leaves them disabled (403). */
  readonly adminToken: AdminToken | undefined;
  readonly log: Logger;
  /** `ADMIN_LIMITS` unless given (tests use shorter ones). */
  readonly limits?: AdminLimits;
  /** What `/metrics` serves; default: `metrics.registry` (with worker threads: the sum over them). */
  readonly metricsSource?: MetricsSource;
  /** With worker threads: how many, and the restart route. */
  readonly workers?: WorkerControl;
  /** Finished requests, for the status page at `/` (the RequestRecorder's); without it the page shows no traffic. */
  readonly traffic?: TrafficWindows;
}

/**
 * The admin port (8000): `/metrics` for Prometheus, `/healthz` (the process is alive),
 * `/readyz` (it can serve: accepting and at least one eligible backend), `/backends`,
 * open to read; and the write routes of `admin-changes.ts`, behind `ADMIN_TOKEN`.
 * Kept off the traffic port so it can stay private; limited (`ADMIN_LIMITS`) all the same.
 */
export function createAdminServer(deps: AdminDeps) {
  const serveMetrics = metricsHandler(deps.metricsSource ?? deps.metrics.registry);
  const changes = createAdminChanges({ pool: deps.pool, algorithms: deps.algorithms, token: deps.adminToken, log: deps.log, workers: deps.workers });
  const limits = deps.limits ?? ADMIN_LIMITS;
  const workersRunning = () => deps.workers?.running() ?? 1;
  const statusPage = createStatusPage({
    pool: deps.pool,
    algorithms: deps.algorithms,
    metrics: deps.metrics,
    accepting: deps.accepting,
    adminWrites: deps.adminToken !== undefined,
    workers: workersRunning,
    ...(deps.traffic && { traffic: deps.traffic }),
  });
  const options: ServerOptions = {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: connectionsCheckingInterval(limits.headersTimeoutMs, limits.requestTimeoutMs),
  };
  const server = createServer(options, (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (changes(req, res, path)) return;
    if (statusPage.handle(req, res, path)) return; // `/` and /status-page/...
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(
        res,
        405,
        { error: 'method_not_allowed', message: `${path} is read-only: use GET (changes: ${ADMIN_CHANGE_ROUTES.join(', ')})` },
        { allow: 'GET, HEAD' },
      );
      return;
    }
    switch (path) {
      case '/metrics':
        serveMetrics(req, res);
        return;
      case '/healthz':
        sendJson(res, 200, { status: 'ok' });
        return;
      case '/readyz': {
        const eligible = deps.pool.eligible().length;
        const ready = deps.accepting() && eligible > 0;
        sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', accepting: deps.accepting(), eligible_backends: eligible });
        return;
      }
      case '/backends':
        sendJson(res, 200, {
          default_algorithm: deps.algorithms.default.name,
          algorithms: deps.algorithms.names,
          panic: deps.pool.panic,
          workers: workersRunning(),
          backends: deps.pool.all().map((backend) => backend.toJSON()),
        });
        return;
      default:
        sendJson(res, 404, {
          error: 'not_found',
          message: `no admin route ${path}; routes: GET / (status page), /metrics, /healthz, /readyz, /backends; ${ADMIN_CHANGE_ROUTES.join(', ')}`,
        });
    }
  });
  server.maxConnections = limits.maxConnections;
  server.on('close', () => statusPage.close());
  return server;
}
