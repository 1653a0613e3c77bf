import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BackendMetrics, createBackendMetrics, type MetricsServer, MetricsServerError, serveMetrics, statusClass } from '@lbpoc/metrics';
import { type DrainResult, drainHttpServer, ListenError, type Listener } from '@lbpoc/service-kit';
import type { BackendConfig } from './config.js';
import { LoadTracker } from './load-tracker.js';
import { createRequestHandler } from './request-handler.js';
import { trackRequest } from './request-metrics.js';
import { requestTarget } from './request-target.js';
import { Slots } from './slots.js';
import { createWebSocketEcho, refuseUpgrade } from './websocket-echo.js';

/**
 * How long an idle keep-alive connection stays open. Longer than a balancer's idle
 * timeout (commonly 60 s), so the balancer, not the backend, closes idle sockets: when
 * the backend closes first, a request the balancer just wrote on that socket fails.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export interface BackendAppOptions {
  readonly config: BackendConfig;
  /** Uniform in [0, 1). Default `Math.random`; tests pass a fixed sequence. */
  readonly random?: () => number;
  /** Pass false to leave out Node.js process metrics (tests). Default true. */
  readonly defaultMetrics?: boolean;
}

export interface ListeningAddresses {
  readonly port: number;
  readonly metricsPort: number;
}

export interface BackendApp {
  /** The traffic server (echo, /health, /cpu, /ws). */
  readonly server: Server;
  readonly metrics: BackendMetrics;
  /** True once `shutdown` has been called: /health answers 503. */
  readonly draining: boolean;
  /** Requests being handled now. */
  readonly inFlight: number;
  /** Binds both servers. Rejects with a `ListenError` naming PORT or METRICS_PORT. */
  listen(): Promise<ListeningAddresses>;
  /**
   * Drains: stops accepting, answers /health 503, lets in-flight requests finish, closes
   * keep-alive and WebSocket connections, then closes the metrics server. Idempotent.
   */
  shutdown(timeoutMs?: number): Promise<DrainResult>;
}

/** Creates the backend's two servers from a validated config; nothing listens until `listen()`. */
export function createBackendApp(options: BackendAppOptions): BackendApp {
  const { config } = options;
  const random = options.random ?? Math.random;
  const metrics = createBackendMetrics({ defaultMetrics: options.defaultMetrics ?? true });
  metrics.inFlight.set({ server_id: config.serverId }, 0);

  let draining = false;
  let inFlight = 0;
  let metricsServer: MetricsServer | undefined;
  let shutdownResult: Promise<DrainResult> | undefined;

  const slots = new Slots(config.concurrency);
  const load = new LoadTracker(slots);
  const handle = createRequestHandler({ config, random, isDraining: () => draining, slots, load: () => load.report() });
  const server = createServer((req, res) => {
    inFlight++;
    load.started();
    const startedAt = performance.now();
    trackRequest(metrics, config.serverId, req, res);
    res.once('close', () => {
      inFlight--;
      load.ended(res.writableFinished ? res.statusCode : 0, performance.now() - startedAt);
      // Once this response is out its keep-alive socket is idle; while draining, close it.
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
    handle(req, res).catch((error: unknown) => {
      // A bug, not a client problem: answer 500 rather than hang the request.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;

  const ws = createWebSocketEcho(config.serverId);
  server.on('upgrade', (req, socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const count = (status: number): void => {
      metrics.requestsTotal.inc({ server_id: config.serverId, route: '/ws', status_class: statusClass(status) });
    };
    if (requestTarget(req).path !== '/ws') {
      metrics.requestsTotal.inc({ server_id: config.serverId, route: 'other', status_class: '4xx' });
      refuseUpgrade(socket, 404, 'only /ws accepts WebSocket upgrades');
    } else if (draining) {
      count(503);
      refuseUpgrade(socket, 503, 'server is shutting down');
    } else {
      ws.accept(req, socket, head, () => count(101));
    }
  });

  const trafficListener: Listener = { variable: 'PORT', hostVariable: 'HOST', host: config.host, port: config.port };
  const metricsListener: Listener = { variable: 'METRICS_PORT', hostVariable: 'HOST', host: config.host, port: config.metricsPort };
  const listenTraffic = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => reject(new ListenError(trafficListener, error.code, error.message, { cause: error }));
      server.once('error', onError);
      server.listen(config.port, config.host, () => {
        server.off('error', onError);
        resolve((server.address() as AddressInfo).port);
      });
    });

  return {
    server,
    metrics,
    get draining() {
      return draining;
    },
    get inFlight() {
      return inFlight;
    },
    async listen() {
      try {
        metricsServer = await serveMetrics(metrics.registry, { host: config.host, port: config.metricsPort });
      } catch (error) {
        if (!(error instanceof MetricsServerError)) throw error;
        const cause = error.cause as NodeJS.ErrnoException;
        throw new ListenError(metricsListener, cause.code, cause.message, { cause });
      }
      try {
        return { port: await listenTraffic(), metricsPort: metricsServer.port };
      } catch (error) {
        await metricsServer.close();
        throw error;
      }
    },
    shutdown(timeoutMs = config.shutdownTimeoutMs) {
      shutdownResult ??= (async () => {
        draining = true;
        for (const client of ws.wss.clients) client.close(1001, 'server shutting down');
        const result = server.listening ? await drainHttpServer(server, { timeoutMs, inFlight: () => inFlight }) : ({ clean: true } as const);
        for (const client of ws.wss.clients) client.terminate();
        await metricsServer?.close();
        return result;
      })();
      return shutdownResult;
    },
  };
}
