import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The client port of the connection it came on: tells pooled connections apart. */
  readonly remotePort: number;
}

export interface RecordingBackend {
  readonly port: number;
  /** Every request the backend's parser read to its end, in order, with its body (latin1). */
  readonly seen: SeenRequest[];
  /** `METHOD URL "body"` of each request in `seen`: what a test compares. */
  lines(): string[];
  /** Parse errors node's server reported: bytes it could not read as a request. */
  readonly parseErrors: string[];
}

/**
 * A real node:http backend on 127.0.0.1 that records what its parser makes of the bytes
 * the balancer sends: one entry per complete request. A request the balancer aborted
 * mid-body never ends, so it is not recorded (a truncated body is never "seen").
 */
export async function startRecordingBackend(): Promise<RecordingBackend> {
  const seen: SeenRequest[] = [];
  const parseErrors: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('latin1');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, remotePort: req.socket.remotePort ?? 0 });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    parseErrors.push(error.code ?? error.message);
    socket.destroy();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(() => {
    server.closeAllConnections();
    server.close();
  });
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    parseErrors,
    lines: () => seen.map((r) => `${r.method} ${r.url} ${JSON.stringify(r.body)}`),
  };
}
