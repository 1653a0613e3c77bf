import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseResponse, rawExchange } from './raw-http.js';
import type { TestBackend } from './test-backend.js';
import { startTestBalancer, waitFor } from './test-balancer.js';

/**
 * Backends that answer badly, over raw TCP: the balancer relays what is well formed, turns
 * what it cannot relay into a 502 before a byte reaches the client, never presents a
 * response that broke off as complete, and keeps serving.
 */
async function rawBackend(answer: (socket: Socket, request: string) => void): Promise<number> {
  const server = createServer((socket) => {
    let request = '';
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      request += chunk.toString('latin1');
      if (request.includes('\r\n\r\n')) {
        answer(socket, request);
        request = '';
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

const GET = 'GET /x HTTP/1.1\r\nHost: x\r\n\r\n';

describe('a hostile or broken backend', () => {
  it('relays header names, values and repetitions byte for byte, less hop-by-hop ones and our own', async () => {
    const port = await rawBackend((socket) =>
      socket.write(
        Buffer.from(
          'HTTP/1.1 201 Made Up\r\nX-Case: KeepMe\r\nset-cookie: a=1\r\nSet-Cookie: b=2\r\nX-Latin: caf\xe9\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\n' +
            'Keep-Alive: timeout=5\r\nX-Lbpoc-Backend: spoofed\r\nContent-Length: 2\r\n\r\nok',
          'latin1',
        ),
      ),
    );
    const lb = await startTestBalancer([{ port } as TestBackend], { HEALTH_CHECKS: 'off' });
    const { text } = await rawExchange(lb.balancer.port, GET);
    const head = text.slice(0, text.indexOf('\r\n\r\n'));
    expect(head).toMatch(/^HTTP\/1\.1 201 Made Up\r\n/);
    expect(head).toContain('\r\nX-Case: KeepMe\r\n');
    expect(head).toContain('\r\nset-cookie: a=1\r\nSet-Cookie: b=2\r\n');
    expect(head).toContain('\r\nX-Latin: caf\xe9\r\n');
    expect(head).not.toMatch(/X-Hop|timeout=5\r|spoofed/i); // node adds its own `Keep-Alive: timeout=65`
    expect(head).toContain(`\r\nx-lbpoc-backend: 127.0.0.1:${port}\r\n`);
    expect(parseResponse(text)?.body).toBe('ok');
  });

  it.each([
    ['a response that does not parse', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\nok'],
    ['a status line that is not HTTP', 'SSH-2.0-OpenSSH\r\n\r\n'],
    ['nothing at all', ''],
  ])('answers 502 in JSON for %s, and serves the next request', async (_what, bytes) => {
    let calls = 0;
    const port = await rawBackend((socket) => {
      calls++;
      if (calls === 1)
        socket.end(bytes); // one backend: no other to retry on
      else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    const lb = await startTestBalancer([{ port } as TestBackend], { HEALTH_CHECKS: 'off', EJECT_AFTER_CONNECT_FAILURES: '100' });
    const first = parseResponse((await rawExchange(lb.balancer.port, GET)).text);
    expect(first?.status).toBe(502);
    expect(JSON.parse(first!.body)).toMatchObject({ error: 'bad_gateway' });
    await waitFor(() => lb.balancer.pool.all()[0]!.inFlight === 0, 2000, 'the failed attempt to be released');
    const after = await fetch(`${lb.url}/y`);
    expect(await after.text()).toBe('ok');
  });

  it('cuts the client off when the backend breaks off mid-body: a short response is never complete', async () => {
    const port = await rawBackend((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly-part');
      setTimeout(() => socket.destroy(), 50);
    });
    const lb = await startTestBalancer([{ port } as TestBackend], { HEALTH_CHECKS: 'off' });
    const result = await rawExchange(lb.balancer.port, GET, { end: false, timeoutMs: 5000 });
    expect(result.closed).toBe(true);
    const head = result.text.slice(0, result.text.indexOf('\r\n\r\n'));
    expect(head).toContain('Content-Length: 100');
    expect(result.text.length - head.length - 4).toBeLessThan(100);
  });

  it('a chunked response that breaks off ends without its last chunk', async () => {
    const port = await rawBackend((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\npart\r\n');
      setTimeout(() => socket.destroy(), 50);
    });
    const lb = await startTestBalancer([{ port } as TestBackend], { HEALTH_CHECKS: 'off' });
    const result = await rawExchange(lb.balancer.port, GET, { end: false, timeoutMs: 5000 });
    expect(result.closed).toBe(true);
    expect(result.text).toContain('part');
    expect(result.text).not.toContain('\r\n0\r\n\r\n');
  });

  it('holds a large response back while the client does not read, instead of buffering it', async () => {
    const size = 64 * 1024 * 1024;
    let sent = 0;
    const port = await rawBackend((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${size}\r\n\r\n`);
      const block = Buffer.alloc(1024 * 1024, 0x62);
      const pump = () => {
        while (sent < size) {
          sent += block.length;
          if (!socket.write(block)) {
            socket.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    const lb = await startTestBalancer([{ port } as TestBackend], { HEALTH_CHECKS: 'off' });
    const { connect } = await import('node:net');
    const client = connect(lb.balancer.port, '127.0.0.1');
    client.on('error', () => {});
    onTestFinished(() => void client.destroy());
    client.write(GET);
    client.pause(); // a client that reads nothing
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Socket buffers on the way hold a few MiB at most; the rest must still be at the backend.
    expect(sent).toBeLessThan(size / 4);
  });
});
