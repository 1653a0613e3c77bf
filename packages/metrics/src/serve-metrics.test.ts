import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackendMetrics } from './backend-metrics.js';
import { MetricsServerError } from './metrics-server-error.js';
import { type MetricsServer, serveMetrics } from './serve-metrics.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function fetchRaw(url: string, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const open: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function start(options: Parameters<typeof serveMetrics>[1] = {}): Promise<MetricsServer> {
  const metrics = createBackendMetrics({ defaultMetrics: false });
  metrics.requestsTotal.inc({ server_id: 's', route: '/', status_class: '2xx' });
  const server = await serveMetrics(metrics.registry, { host: '127.0.0.1', port: 0, ...options });
  open.push(server);
  return server;
}

describe('serveMetrics', () => {
  it('serves the exposition on /metrics with the Prometheus content type', async () => {
    const server = await start();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
    const reply = await fetchRaw(server.url);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(reply.body).toContain('lbpoc_backend_requests_total{server_id="s",route="/",status_class="2xx"} 1');
  });

  it('answers HEAD without a body, 405 to other methods and 404 elsewhere', async () => {
    const server = await start();
    const head = await fetchRaw(server.url, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const post = await fetchRaw(server.url, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    const other = await fetchRaw(`http://127.0.0.1:${server.port}/`);
    expect(other.status).toBe(404);
    expect(other.body).toContain('/metrics');
  });

  it('rejects with a MetricsServerError that says what to do when the port is taken', async () => {
    const first = await start();
    const error = await start({ port: first.port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetricsServerError);
    expect(error).toMatchObject({ name: 'MetricsServerError', code: 'EADDRINUSE', port: first.port });
    expect((error as Error).message).toMatch(/already in use.*another port/);
  });

  it('closes when its signal aborts', async () => {
    const controller = new AbortController();
    const server = await start({ signal: controller.signal });
    controller.abort();
    await server.close();
    expect(server.server.listening).toBe(false);
  });
});
