import { once } from 'node:events';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseResponse, rawExchange } from './raw-http.js';
import { type TestBalancer, startTestBalancer } from './test-balancer.js';
import type { TestBackend } from './test-backend.js';

let backend: Server | undefined;
let lb: TestBalancer | undefined;
afterEach(async () => {
  await lb?.close();
  backend?.closeAllConnections();
  backend?.close();
  lb = undefined;
});

/** A backend that records every request it parses, with its body. */
async function recordingBackend(): Promise<{ port: number; seen: string[] }> {
  const seen: string[] = [];
  backend = createServer((req, res) => {
    let body = '';
    req.setEncoding('latin1');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} ${JSON.stringify(body)}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  backend.listen(0, '127.0.0.1');
  await once(backend, 'listening');
  return { port: (backend.address() as AddressInfo).port, seen };
}

describe('request smuggling', () => {
  // Found by the wire fuzz suite: http-proxy-3 rewrote a chunked DELETE/OPTIONS to
  // `content-length: 0` and sent the body anyway, which the backend read as a new request.
  it.each(['DELETE', 'OPTIONS'])('forwards a chunked %s body as that request\'s body, never as a request of its own', async (method) => {
    const { port, seen } = await recordingBackend();
    lb = await startTestBalancer([{ port } as TestBackend], { HEALTH_CHECKS: 'off' });
    const hidden = 'GET /smuggled-admin HTTP/1.1\r\nHost: x\r\n\r\n';
    const attack = `${method} /innocent HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${hidden.length.toString(16)}\r\n${hidden}\r\n0\r\n\r\n`;
    const { text } = await rawExchange(lb.balancer.port, attack);
    expect(parseResponse(text)?.status).toBe(200);
    // A second request through the same (pooled) backend connection must arrive as itself.
    expect((await fetch(`${lb.url}/after`)).status).toBe(200);
    expect(seen).toEqual([`${method} /innocent ${JSON.stringify(hidden)}`, 'GET /after ""']);
  });
});
