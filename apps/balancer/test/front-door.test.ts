import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseResponse, rawExchange } from './raw-http.js';
import { startTestBackend, type TestBackend } from './test-backend.js';
import { startTestBalancer, type TestBalancer } from './test-balancer.js';

let backends: TestBackend[] = [];
let lb: TestBalancer | undefined;

async function setup(env: Record<string, string>, count = 1): Promise<TestBalancer> {
  backends = await Promise.all(Array.from({ length: count }, (_, i) => startTestBackend(`b${i}`)));
  lb = await startTestBalancer(backends, env);
  return lb;
}

async function rejected(reason: string): Promise<number> {
  const text = await (await fetch(`${lb!.adminUrl}/metrics`)).text();
  const match = new RegExp(`^lbpoc_rejected_requests_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(text);
  return match === null ? 0 : Number(match[1]);
}

function jsonOf(text: string): { error: string; message: string } & Record<string, unknown> {
  const response = parseResponse(text);
  expect(response, text).toBeDefined();
  expect(response!.headers['content-type']).toContain('application/json');
  return JSON.parse(response!.body) as { error: string; message: string };
}

const port = () => lb!.balancer.port;

describe('rate limiting', () => {
  it('exports its rejection series at 0 before the first rejection (so increase() sees the first one), and only when on', async () => {
    await setup({ RATE_LIMIT_RPS: '2', MAX_BODY_BYTES: '0' });
    const on = await (await fetch(`${lb!.adminUrl}/metrics`)).text();
    expect(on).toMatch(/^lbpoc_rejected_requests_total\{reason="rate_limited"\} 0$/m);
    expect(on).toMatch(/^lbpoc_rejected_requests_total\{reason="bad_request"\} 0$/m);
    expect(on).not.toContain('reason="body_too_large"');
    await lb!.close();
    lb = await startTestBalancer(backends, {});
    expect(await (await fetch(`${lb.adminUrl}/metrics`)).text()).not.toContain('reason="rate_limited"');
  });

  it('lets a burst through, then answers 429 with Retry-After and JSON, and counts it', async () => {
    await setup({ RATE_LIMIT_RPS: '1', RATE_LIMIT_BURST: '3' });
    // Five at once: they arrive within milliseconds, far inside the 1 s a new token takes,
    // however busy the machine (sent one after another, a slow run let a token in between).
    const responses = await Promise.all(Array.from({ length: 5 }, () => fetch(`${lb!.url}/`)));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = responses.find((response) => response.status === 429)!;
    await Promise.all(responses.filter((response) => response !== limited).map((response) => response.arrayBuffer()));
    expect(limited.headers.get('retry-after')).toBe('1');
    const body = (await limited.json()) as { error: string; message: string; retry_after_seconds: number };
    expect(body).toMatchObject({ error: 'rate_limited', retry_after_seconds: 1 });
    expect(body.message).toContain('1 per second with bursts of 3');
    expect(backends[0]!.hits).toBe(3);
    expect(await rejected('rate_limited')).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // 1/s: a token every second
    expect((await fetch(`${lb!.url}/`)).status).toBe(200);
  });

  it('limits each client separately, identifying clients behind a trusted proxy as ip_hash does', async () => {
    await setup({ RATE_LIMIT_RPS: '1', RATE_LIMIT_BURST: '2', TRUSTED_PROXIES: '127.0.0.1' });
    const as = (client: string) => fetch(`${lb!.url}/`, { headers: { 'x-forwarded-for': client } }).then((r) => r.status);
    expect([await as('198.51.100.1'), await as('198.51.100.1'), await as('198.51.100.1')]).toEqual([200, 200, 429]);
    expect([await as('198.51.100.2'), await as('198.51.100.2')]).toEqual([200, 200]);
    // A spoofed hop to the left of the trusted proxy's entry does not buy a new bucket.
    expect(await as('203.0.113.9, 198.51.100.1')).toBe(429);
  });

  it('applies to WebSocket upgrades too, answered with a JSON 429 on the socket', async () => {
    await setup({ RATE_LIMIT_RPS: '1', RATE_LIMIT_BURST: '1' });
    await (await fetch(`${lb!.url}/`)).arrayBuffer();
    const upgrade =
      'GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';
    const { text } = await rawExchange(port(), upgrade);
    expect(parseResponse(text)?.status).toBe(429);
    expect(parseResponse(text)?.headers['retry-after']).toBe('1');
    expect(jsonOf(text).error).toBe('rate_limited');
  });
});

describe('request size limits', () => {
  it('answers 413 to a declared body over MAX_BODY_BYTES before reading it, and lets one at the limit through', async () => {
    await setup({ MAX_BODY_BYTES: '1000' });
    const { text } = await rawExchange(port(), `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n${'a'.repeat(100)}`, { end: false, timeoutMs: 3000 });
    expect(parseResponse(text)?.status).toBe(413);
    expect(parseResponse(text)?.headers.connection).toBe('close');
    expect(jsonOf(text)).toMatchObject({ error: 'body_too_large', limit: 1000 });
    expect(backends[0]!.hits).toBe(0);
    const ok = await fetch(`${lb!.url}/`, { method: 'POST', body: 'a'.repeat(1000) });
    expect(ok.status).toBe(200);
    expect(await rejected('body_too_large')).toBe(1);
  });

  it('counts a chunked body while streaming it, aborts the upstream request past the limit, and does not blame the backend', async () => {
    await setup({ MAX_BODY_BYTES: '2000', HEALTH_CHECKS: 'off' });
    const chunk = (data: string) => `${data.length.toString(16)}\r\n${data}\r\n`;
    const head = 'POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n';
    const small = await rawExchange(port(), `${head}${chunk('a'.repeat(1500))}${chunk('b'.repeat(500))}0\r\n\r\n`);
    expect(parseResponse(small.text)?.status).toBe(200);

    const large = await rawExchange(port(), `${head}${chunk('a'.repeat(1500))}${chunk('b'.repeat(1500))}${chunk('c'.repeat(1500))}0\r\n\r\n`);
    expect(parseResponse(large.text)?.status).toBe(413);
    expect(jsonOf(large.text)).toMatchObject({ error: 'body_too_large', limit: 2000 });
    expect(await rejected('body_too_large')).toBe(1);
    const backend = lb!.balancer.pool.all()[0]!;
    expect(backend.inFlight).toBe(0);
    expect(backend.counters).toMatchObject({ connectFailures: 0, timeouts: 0, http5xx: 0 });
    expect(backend.healthy).toBe(true);
  });

  it('answers 431 with JSON when the request target and headers exceed MAX_HEADER_BYTES', async () => {
    await setup({ MAX_HEADER_BYTES: '2048' });
    const header = await rawExchange(port(), `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(4000)}\r\n\r\n`);
    expect(parseResponse(header.text)?.status).toBe(431);
    expect(jsonOf(header.text).error).toBe('headers_too_large');
    const url = await rawExchange(port(), `GET /?q=${'a'.repeat(4000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(parseResponse(url.text)?.status).toBe(431);
    const fits = await fetch(`${lb!.url}/?q=${'a'.repeat(1500)}`);
    expect(fits.status).toBe(200);
    expect(await rejected('headers_too_large')).toBe(2);
    expect(backends[0]!.hits).toBe(1);
  });
});

describe('slow clients', () => {
  it('closes a slowloris connection, dribbling header bytes, within HEADERS_TIMEOUT_MS', async () => {
    await setup({ HEADERS_TIMEOUT_MS: '600' });
    const socket = connect(port(), '127.0.0.1');
    const started = performance.now();
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
    let n = 0;
    const dribble = setInterval(() => socket.writable && socket.write(`X-${n++}: y\r\n`), 50);
    await new Promise((resolve) => socket.on('close', resolve));
    clearInterval(dribble);
    const closedAfter = performance.now() - started;
    expect(n).toBeGreaterThan(5); // it really was sending all along
    expect(closedAfter).toBeGreaterThanOrEqual(550);
    expect(closedAfter).toBeLessThan(600 * 1.2 + 150); // the timeout plus node's checking interval (a fifth of it)
    expect(parseResponse(received)?.status).toBe(408);
    expect(jsonOf(received).error).toBe('request_timeout');
    expect(backends[0]!.hits).toBe(0);
    expect(await rejected('request_timeout')).toBe(1);
  });

  it('closes a connection whose body arrives too slowly, within REQUEST_TIMEOUT_MS', async () => {
    await setup({ HEADERS_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '800' });
    const socket = connect(port(), '127.0.0.1');
    const started = performance.now();
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n');
    const dribble = setInterval(() => socket.writable && socket.write('a'), 50);
    await new Promise((resolve) => socket.on('close', resolve));
    clearInterval(dribble);
    const closedAfter = performance.now() - started;
    expect(closedAfter).toBeGreaterThanOrEqual(750);
    expect(closedAfter).toBeLessThan(500 * 0.2 + 800 + 150);
    expect(parseResponse(received)?.status).toBe(408);
    expect(backends[0]!.hits).toBe(0); // a body under 64 KiB is held until complete: it never left
  });
});

describe('connection cap', () => {
  it('closes connections beyond MAX_CONNECTIONS at once, counts them, and accepts again when one leaves', async () => {
    await setup({ MAX_CONNECTIONS: '2' });
    const open = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<ReturnType<typeof connect>>((resolve) => {
            const socket = connect(port(), '127.0.0.1', () => resolve(socket));
            socket.on('error', () => {});
          }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the server accept both
    const third = await rawExchange(port(), 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', { timeoutMs: 2000 });
    expect(third.closed).toBe(true);
    expect(third.text).toBe('');
    expect(third.closedAfterMs).toBeLessThan(500);
    expect(await rejected('too_many_connections')).toBe(1);
    open[0]!.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const fourth = await rawExchange(port(), 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(parseResponse(fourth.text)?.status).toBe(200);
    open[1]!.destroy();
  });
});

describe('answers node would leave bare', () => {
  it('answers a malformed request line with a JSON 400, counted', async () => {
    await setup({});
    const { text } = await rawExchange(port(), 'THIS IS NOT HTTP\r\n\r\n');
    expect(parseResponse(text)?.status).toBe(400);
    expect(jsonOf(text)).toMatchObject({ error: 'bad_request' });
    expect(jsonOf(text).message).toContain('HPE_');
    expect(await rejected('bad_request')).toBe(1);
  });

  it('answers an HTTP/1.1 request without Host with a JSON 400 (node would send an empty one)', async () => {
    await setup({});
    const { text } = await rawExchange(port(), 'GET / HTTP/1.1\r\nX-A: b\r\n\r\n');
    expect(parseResponse(text)?.status).toBe(400);
    expect(jsonOf(text).message).toContain('Host header');
    const old = await rawExchange(port(), 'GET / HTTP/1.0\r\n\r\n'); // HTTP/1.0 has no Host requirement
    expect(parseResponse(old.text)?.status).toBe(200);
    expect(backends[0]!.hits).toBe(1);
  });

  it("honours a client's Connection: close on proxied responses (http-proxy-3 would answer keep-alive)", async () => {
    await setup({});
    const { text, closed, closedAfterMs } = await rawExchange(port(), 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', {
      end: false,
      timeoutMs: 3000,
    });
    expect(parseResponse(text)?.status).toBe(200);
    expect(parseResponse(text)?.headers.connection).toBe('close');
    expect(parseResponse(text)?.headers['keep-alive']).toBeUndefined(); // the backend's own hop-by-hop header stays behind
    expect(closed).toBe(true);
    expect(closedAfterMs).toBeLessThan(1000);
    const kept = await rawExchange(port(), 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', { end: false, timeoutMs: 500 });
    expect(parseResponse(kept.text)?.headers.connection).toBe('keep-alive');
    expect(kept.closed).toBe(false);
  });

  it('answers an unsupported Expect with a JSON 417 and CONNECT with a JSON 405', async () => {
    await setup({});
    const expectation = await rawExchange(port(), 'GET / HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n');
    expect(parseResponse(expectation.text)?.status).toBe(417);
    expect(jsonOf(expectation.text).error).toBe('expectation_failed');
    const tunnel = await rawExchange(port(), 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(parseResponse(tunnel.text)?.status).toBe(405);
    expect(jsonOf(tunnel.text).error).toBe('method_not_allowed');
    expect(backends[0]!.hits).toBe(0);
  });

  it('serves a request offering an h2c upgrade as a plain request instead of dropping it', async () => {
    await setup({});
    const { text } = await rawExchange(
      port(),
      'GET /h2c HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n',
    );
    expect(parseResponse(text)?.status).toBe(200);
    expect(backends[0]!.lastUrl).toBe('/h2c');
    expect(backends[0]!.lastHeaders.upgrade).toBeUndefined(); // hop-by-hop: not passed on
  });
});
