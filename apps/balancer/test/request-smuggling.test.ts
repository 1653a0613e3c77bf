import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseResponse, rawExchange } from './raw-http.js';
import type { TestBackend } from './test-backend.js';
import { startTestBalancer, type TestBalancer } from './test-balancer.js';

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
  it.each(['DELETE', 'OPTIONS'])("forwards a chunked %s body as that request's body, never as a request of its own", async (method) => {
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

  // Found by the wire fuzz suite: node's parser skips its Transfer-Encoding check on a
  // request it first takes for an upgrade (`Proxy-Connection: upgrade` counts), and the
  // header went to the backend, which may read that body until the connection closes.
  it('answers 400 and forwards nothing when Transfer-Encoding does not end in chunked', async () => {
    const { port, seen } = await recordingBackend();
    lb = await startTestBalancer([{ port } as TestBackend], { HEALTH_CHECKS: 'off' });
    const hidden = 'GET /smuggled-admin HTTP/1.1\r\nHost: x\r\n\r\n';
    for (const extra of ['Proxy-Connection: upgrade\r\nUpgrade: foo\r\n', 'Connection: upgrade\r\nUpgrade: foo\r\n']) {
      const { text } = await rawExchange(lb.balancer.port, `POST /innocent HTTP/1.1\r\nHost: x\r\n${extra}Transfer-Encoding: 0x10\r\n\r\n${hidden}`);
      const response = parseResponse(text);
      expect(response?.status, text).toBe(400);
      expect(JSON.parse(response!.body)).toMatchObject({ error: 'bad_request', message: expect.stringContaining('"0x10" does not end in chunked') });
    }
    expect(seen).toEqual([]);
  });

  it('answers 400 to more than one Host, whichever the backend would have believed', async () => {
    const { port, seen } = await recordingBackend();
    lb = await startTestBalancer([{ port } as TestBackend], { HEALTH_CHECKS: 'off' });
    const { text } = await rawExchange(lb.balancer.port, 'GET / HTTP/1.1\r\nHost: public.example\r\nHost: internal.example\r\n\r\n');
    expect(parseResponse(text)?.status, text).toBe(400);
    expect(JSON.parse(parseResponse(text)!.body).message).toBe('the request has 2 Host headers; RFC 9112 section 3.2 allows one');
    expect(seen).toEqual([]);
  });
});
