import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP backend on 127.0.0.1 whose /health status the test controls. */
export interface TestBackend {
  readonly host: string;
  readonly port: number;
  readonly server: Server;
  /** Status code /health answers with (default 200). */
  healthStatus: number;
  /** Requests to /health so far. */
  healthRequests: number;
  /** Open TCP connections right now. */
  connections(): Promise<number>;
  close(): Promise<void>;
}

export async function startTestBackend(): Promise<TestBackend> {
  const server = createServer((req, res) => {
    if (req.url === '/health') {
      backend.healthRequests += 1;
      res.writeHead(backend.healthStatus, { 'content-type': 'text/plain' }).end(String(backend.healthStatus));
    } else if (req.url === '/hang') {
      // never answers: for timeouts
    } else {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const backend: TestBackend = {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    server,
    healthStatus: 200,
    healthRequests: 0,
    connections: () => new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count)))),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return backend;
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `predicate` until it holds, failing after `timeoutMs`. For real-time health-check tests. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await predicate())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
