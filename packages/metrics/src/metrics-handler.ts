import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * What the handler needs from a registry. Structural, so a prom-client `Registry` of
 * either content type (Prometheus text or OpenMetrics) fits, as does `Registry.merge(...)`.
 */
export interface MetricsSource {
  metrics(): Promise<string>;
  readonly contentType: string;
}

/**
 * A node:http request listener that answers the scrape it is handed with the registry's
 * text exposition. It does no routing: mount it on the path you want (`serveMetrics`
 * mounts it on `/metrics`), so an app can put it beside its own admin routes.
 */
export function metricsHandler(registry: MetricsSource): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end(`method ${req.method ?? ''} not allowed: metrics are read with GET or HEAD\n`);
      return;
    }
    registry.metrics().then(
      (body) => {
        res.writeHead(200, {
          'content-type': registry.contentType,
          'content-length': Buffer.byteLength(body),
          'cache-control': 'no-store',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => {
        // A collect callback threw: say so, rather than leave the scrape hanging.
        const message = error instanceof Error ? error.message : String(error);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`collecting metrics failed: ${message}\n`);
      },
    );
  };
}
