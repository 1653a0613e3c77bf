import { once } from 'node:events';
import { createServer } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { parseResponse, rawExchange } from './raw-http.js';
import { startTestBackend, type TestBackend } from './test-backend.js';
import { startTestBalancer, type TestBalancer, waitFor } from './test-balancer.js';

/**
 * What one client may hold on the traffic port: connections (MAX_CONNECTIONS_PER_CLIENT),
 * idle WebSockets (WEBSOCKET_IDLE_TIMEOUT_MS), and how IPv6 clients are told apart
 * (CLIENT_IPV6_PREFIX, for the rate limit too).
 */

async function rejected(lb: TestBalancer, reason: string): Promise<number | undefined> {
  const text = await (await fetch(`${lb.adminUrl}/metrics`)).text();
  const match = new RegExp(`^lbpoc_rejected_requests_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(text);
  return match === null ? undefined : Number(match[1]);
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', () => {});
  });
}

function openWebSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

/** ms until `ws` closes, or undefined when it is still open after `ms`. */
function closesWithin(ws: WebSocket, ms: number): Promise<number | undefined> {
  const started = performance.now();
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) resolve(0);
    const timer = setTimeout(resolve, ms, undefined);
    ws.on('close', () => {
      clearTimeout(timer);
      resolve(performance.now() - started);
    });
  });
}

const inFlight = (lb: TestBalancer) => lb.balancer.pool.all().reduce((sum, b) => sum + b.inFlight, 0);

/**
 * A WebSocket backend that pushes a message every `everyMs` on `/push` and says nothing
 * otherwise. Not health-checked (it has no /health): use with HEALTH_CHECKS=off.
 */
async function startPushBackend(everyMs: number): Promise<TestBackend> {
  const server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws, req) => {
    if (req.url !== '/push') return;
    const timer = setInterval(() => ws.send('tick'), everyMs);
    ws.on('close', () => clearInterval(timer));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(async () => {
    for (const client of wss.clients) client.terminate();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { port: (server.address() as AddressInfo).port } as TestBackend;
}

describe('WebSocket idle timeout', () => {
  it('closes an upgraded connection with no byte either way for WEBSOCKET_IDLE_TIMEOUT_MS, counts it, and frees its backend slot', async () => {
    const lb = await startTestBalancer([await startTestBackend('b0')], { WEBSOCKET_IDLE_TIMEOUT_MS: '400' });
    expect(await rejected(lb, 'websocket_idle')).toBe(0); // exported from the start
    const ws = await openWebSocket(`${lb.url.replace('http', 'ws')}/ws`);
    expect(inFlight(lb)).toBe(1);
    const closedAfter = await closesWithin(ws, 3000);
    expect(closedAfter).toBeDefined();
    expect(closedAfter!).toBeGreaterThanOrEqual(350);
    expect(closedAfter!).toBeLessThan(1000);
    expect(await rejected(lb, 'websocket_idle')).toBe(1);
    await waitFor(() => inFlight(lb) === 0, 2000, 'the backend slot to be released');
  });

  it('keeps a WebSocket open while the client sends, and closes it once it stops', async () => {
    const lb = await startTestBalancer([await startTestBackend('b0')], { WEBSOCKET_IDLE_TIMEOUT_MS: '400' });
    const ws = await openWebSocket(`${lb.url.replace('http', 'ws')}/ws`);
    let echoes = 0;
    ws.on('message', () => echoes++);
    const talk = setInterval(() => ws.send('hello'), 100);
    const closedWhileTalking = await closesWithin(ws, 1500);
    clearInterval(talk);
    expect(closedWhileTalking).toBeUndefined();
    expect(echoes).toBeGreaterThan(8);
    expect(await closesWithin(ws, 3000)).toBeDefined();
    expect(await rejected(lb, 'websocket_idle')).toBe(1);
  });

  it('counts bytes from the backend as activity too', async () => {
    const lb = await startTestBalancer([await startPushBackend(100)], { WEBSOCKET_IDLE_TIMEOUT_MS: '400', HEALTH_CHECKS: 'off' });
    const ws = await openWebSocket(`${lb.url.replace('http', 'ws')}/push`);
    let ticks = 0;
    ws.on('message', () => ticks++);
    expect(await closesWithin(ws, 1500)).toBeUndefined(); // the client never sent a byte after its handshake
    expect(ticks).toBeGreaterThan(8);
    ws.close();
    expect(await rejected(lb, 'websocket_idle')).toBe(0);
  });

  it('leaves idle WebSockets open with WEBSOCKET_IDLE_TIMEOUT_MS=0, and does not export the reason', async () => {
    const lb = await startTestBalancer([await startTestBackend('b0')], { WEBSOCKET_IDLE_TIMEOUT_MS: '0' });
    const ws = await openWebSocket(`${lb.url.replace('http', 'ws')}/ws`);
    expect(await closesWithin(ws, 800)).toBeUndefined();
    expect(await rejected(lb, 'websocket_idle')).toBeUndefined();
    ws.close();
  });
});

describe('connections per client', () => {
  it('closes a connection beyond MAX_CONNECTIONS_PER_CLIENT at once, unanswered, counts it, and accepts again when one leaves', async () => {
    const lb = await startTestBalancer([await startTestBackend('b0')], { MAX_CONNECTIONS_PER_CLIENT: '2' });
    const port = lb.balancer.port;
    expect(await rejected(lb, 'too_many_connections_per_client')).toBe(0); // exported from the start
    const open = [await openSocket(port), await openSocket(port)];
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the server accept both
    const third = await rawExchange(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', { timeoutMs: 2000 });
    expect(third.closed).toBe(true);
    expect(third.text).toBe('');
    expect(third.closedAfterMs).toBeLessThan(500);
    expect(await rejected(lb, 'too_many_connections_per_client')).toBe(1);
    expect(await rejected(lb, 'too_many_connections')).toBe(0); // not the server-wide cap
    open[0]!.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const fourth = await rawExchange(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(parseResponse(fourth.text)?.status).toBe(200);
    open[1]!.destroy();
  });

  it('counts WebSockets among a client’s connections', async () => {
    const lb = await startTestBalancer([await startTestBackend('b0')], { MAX_CONNECTIONS_PER_CLIENT: '2' });
    const url = `${lb.url.replace('http', 'ws')}/ws`;
    const sockets = [await openWebSocket(url), await openWebSocket(url)];
    await expect(openWebSocket(url)).rejects.toThrow();
    expect(await rejected(lb, 'too_many_connections_per_client')).toBe(1);
    for (const ws of sockets) ws.close();
  });

  it('does not count a trusted proxy’s connections, which carry many clients', async () => {
    const lb = await startTestBalancer([await startTestBackend('b0')], { MAX_CONNECTIONS_PER_CLIENT: '1', TRUSTED_PROXIES: '127.0.0.1' });
    const port = lb.balancer.port;
    const open = [await openSocket(port), await openSocket(port)];
    const third = await rawExchange(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(parseResponse(third.text)?.status).toBe(200);
    expect(await rejected(lb, 'too_many_connections_per_client')).toBe(0);
    for (const socket of open) socket.destroy();
  });

  it('is on by default (256), and off with 0: the reason is not exported then', async () => {
    const on = await startTestBalancer([await startTestBackend('b0')]);
    expect(await rejected(on, 'too_many_connections_per_client')).toBe(0);
    expect(await rejected(on, 'websocket_idle')).toBe(0);
    await on.close();
    const off = await startTestBalancer([await startTestBackend('b1')], { MAX_CONNECTIONS_PER_CLIENT: '0' });
    expect(await rejected(off, 'too_many_connections_per_client')).toBeUndefined();
    const open = await Promise.all(Array.from({ length: 20 }, () => openSocket(off.balancer.port)));
    const last = await rawExchange(off.balancer.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(parseResponse(last.text)?.status).toBe(200);
    for (const socket of open) socket.destroy();
  });
});

describe('IPv6 clients by prefix', () => {
  const as = (lb: TestBalancer, client: string) =>
    fetch(`${lb.url}/`, { headers: { 'x-forwarded-for': client } }).then(async (r) => {
      await r.arrayBuffer();
      return r.status;
    });

  it('rate-limits an IPv6 /64 as one client (behind a trusted proxy, by X-Forwarded-For)', async () => {
    const lb = await startTestBalancer([await startTestBackend('b0')], { RATE_LIMIT_RPS: '1', RATE_LIMIT_BURST: '2', TRUSTED_PROXIES: '127.0.0.1' });
    expect([await as(lb, '2001:db8:1:2::a'), await as(lb, '2001:db8:1:2::b')]).toEqual([200, 200]);
    expect(await as(lb, '2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(429); // a new address in the same /64: no new bucket
    expect(await as(lb, '2001:db8:1:3::a')).toBe(200); // the next /64 is another client
  });

  it('tells IPv6 clients apart by CLIENT_IPV6_PREFIX bits', async () => {
    const lb = await startTestBalancer([await startTestBackend('b0')], {
      RATE_LIMIT_RPS: '1',
      RATE_LIMIT_BURST: '1',
      TRUSTED_PROXIES: '127.0.0.1',
      CLIENT_IPV6_PREFIX: '128',
    });
    expect([await as(lb, '2001:db8:1:2::a'), await as(lb, '2001:db8:1:2::b'), await as(lb, '2001:db8:1:2::a')]).toEqual([200, 200, 429]);
  });
});
