import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';
import { WebSocketServer } from 'ws';

export interface TestBackend {
  readonly id: string;
  port: number;
  /** Requests served (not counting health checks). */
  hits: number;
  /** Delay before answering, in ms; change it at any time. */
  delayMs: number;
  /** Status to answer with. */
  status: number;
  /** Headers of the last proxied request. */
  lastHeaders: IncomingMessage['headers'];
  lastUrl: string;
  /** Stops listening and drops every connection, as a crashed process would. */
  kill(): Promise<void>;
  /** Listens again on the same port. */
  revive(): Promise<void>;
}

/**
 * A real HTTP backend on 127.0.0.1 for tests: answers JSON naming itself, `/health` for
 * health checks, a WebSocket echo on `/ws`. Its behaviour (delay, status) can change mid-test.
 * Call it inside a test: it stops when that test ends.
 */
export async function startTestBackend(id: string, delayMs = 0): Promise<TestBackend> {
  let server: Server;
  const backend: TestBackend = {
    id,
    port: 0,
    hits: 0,
    delayMs,
    status: 200,
    lastHeaders: {},
    lastUrl: '',
    async kill() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async revive() {
      await listen(backend.port);
    },
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    backend.hits++;
    backend.lastHeaders = req.headers;
    backend.lastUrl = req.url ?? '';
    req.resume();
    req.on('end', () => {
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(backend.status, { 'content-type': 'application/json' }).end(JSON.stringify({ server_id: id, url: req.url }));
      };
      if (backend.delayMs > 0) setTimeout(answer, backend.delayMs);
      else answer();
    });
  };

  async function listen(port: number): Promise<void> {
    server = createServer({ keepAliveTimeout: 5000 }, handle);
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => ws.on('message', (data, binary) => ws.send(binary ? data : `${id}:${String(data)}`)));
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    backend.port = (server.address() as AddressInfo).port;
  }

  await listen(0);
  onTestFinished(() => backend.kill().catch(() => {})); // a killed backend may be killed again
  return backend;
}
