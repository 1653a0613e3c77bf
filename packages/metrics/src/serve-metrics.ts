import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type MetricsSource, metricsHandler } from './metrics-handler.js';
import { MetricsServerError } from './metrics-server-error.js';

/** Options of `serveMetrics`. */
export interface ServeMetricsOptions {
  /** Default 8000, the seed's metrics port. 0 picks a free port (see `MetricsServer.port`). */
  readonly port?: number;
  /** Default `0.0.0.0`, so Prometheus in another container can scrape it. */
  readonly host?: string;
  /** Path the exposition is served on. Default `/metrics`. */
  readonly path?: string;
  /** Aborting closes the server, as `close()` does. */
  readonly signal?: AbortSignal;
}

/** A running `/metrics` server. */
export interface MetricsServer {
  readonly server: Server;
  /** The port actually bound (useful with `port: 0`). */
  readonly port: number;
  readonly host: string;
  /** `http://host:port/path`, for logs and tests. */
  readonly url: string;
  /** Stops listening, lets a scrape in progress finish and closes idle keep-alive sockets. */
  close(): Promise<void>;
}

/**
 * Serves `registry` on its own node:http server, the way both apps expose metrics on a
 * port separate from their traffic port (so a scrape never queues behind user requests
 * and the metrics port can stay private). Resolves once listening; rejects with a
 * `MetricsServerError` when the address cannot be bound.
 */
export function serveMetrics(registry: MetricsSource, options: ServeMetricsOptions = {}): Promise<MetricsServer> {
  const port = options.port ?? 8000;
  const host = options.host ?? '0.0.0.0';
  const path = options.path ?? '/metrics';
  const handle = metricsHandler(registry);

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    if ((queryAt === -1 ? url : url.slice(0, queryAt)) === path) {
      handle(req, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`not found: metrics are served on ${path}\n`);
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    return closing;
  };

  return new Promise<MetricsServer>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(options.signal.reason);
      return;
    }
    const onError = (error: NodeJS.ErrnoException): void => reject(new MetricsServerError(host, port, error));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const bound = (server.address() as AddressInfo).port;
      options.signal?.addEventListener('abort', () => void close(), { once: true });
      const urlHost = host.includes(':') ? `[${host}]` : host;
      resolve({ server, port: bound, host, url: `http://${urlHost}:${bound}${path}`, close });
    });
  });
}
