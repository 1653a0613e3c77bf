import { once } from 'node:events';
import type { Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { createBalancerMetrics } from '@lbpoc/metrics';
import { BackendPool, StaticSource } from '@lbpoc/registry';
import { pino } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ADMIN_LIMITS, type AdminLimits, createAdminServer } from '../src/admin/admin-server.js';
import { AdminToken } from '../src/admin/admin-token.js';
import { AlgorithmSet } from '../src/routing/algorithm-set.js';
import { parseResponse, rawExchange } from './raw-http.js';
import { startTestBackend } from './test-backend.js';
import { startTestBalancer } from './test-balancer.js';

const TOKEN = 'admin-limits-test-token';

/** The admin server alone, with `limits` instead of ADMIN_LIMITS, on an ephemeral port of 127.0.0.1. */
async function startAdmin(limits: Partial<AdminLimits>): Promise<{ server: Server; port: number }> {
  const pool = new BackendPool(new StaticSource([]), { healthCheck: false });
  const server = createAdminServer({
    pool,
    metrics: createBalancerMetrics(),
    algorithms: new AlgorithmSet('adaptive', () => performance.now(), Date.now()),
    accepting: () => true,
    adminToken: new AdminToken(TOKEN),
    log: pino({ level: 'silent' }),
    limits: { ...ADMIN_LIMITS, ...limits },
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await pool.close();
  });
  return { server, port: (server.address() as AddressInfo).port };
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', () => {});
  });
}

/** True when `socket` closes within `ms`. */
function closesWithin(socket: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms, false);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

describe('admin port limits', () => {
  it("are the balancer's admin server's: connection cap, header and request timeouts, header size, keep-alive", async () => {
    const lb = await startTestBalancer([await startTestBackend('b0')]);
    const { admin } = lb.balancer;
    expect(admin.maxConnections).toBe(ADMIN_LIMITS.maxConnections);
    expect(admin.headersTimeout).toBe(ADMIN_LIMITS.headersTimeoutMs);
    expect(admin.requestTimeout).toBe(ADMIN_LIMITS.requestTimeoutMs);
    expect(admin.keepAliveTimeout).toBe(ADMIN_LIMITS.keepAliveTimeoutMs);
    expect(ADMIN_LIMITS).toEqual({ maxConnections: 256, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxHeaderBytes: 8192, keepAliveTimeoutMs: 20_000 });
    // 8 KiB of headers: node's default (16 KiB) would have served these.
    const port = lb.balancer.metricsPort;
    const fits = await rawExchange(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(7000)}\r\nConnection: close\r\n\r\n`);
    expect(parseResponse(fits.text)?.status).toBe(200);
    const large = await rawExchange(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(9000)}\r\n\r\n`);
    expect(parseResponse(large.text)?.status).toBe(431);
  });

  it('closes a slowloris connection, dribbling header bytes, within the headers timeout', async () => {
    const { port } = await startAdmin({ headersTimeoutMs: 500, requestTimeoutMs: 1000 });
    const socket = await openSocket(port);
    const started = performance.now();
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n');
    let n = 0;
    const dribble = setInterval(() => socket.writable && socket.write(`X-${n++}: y\r\n`), 50);
    const closed = await closesWithin(socket, 3000);
    clearInterval(dribble);
    socket.destroy();
    const closedAfter = performance.now() - started;
    expect(closed).toBe(true); // node's default would wait a minute
    expect(n).toBeGreaterThan(5); // it really was sending all along
    expect(closedAfter).toBeGreaterThanOrEqual(450);
    expect(closedAfter).toBeLessThan(500 * 1.2 + 150); // the timeout plus node's checking interval (a fifth of it)
    expect(parseResponse(received)?.status).toBe(408);
  });

  it('closes a connection whose body arrives too slowly within the request timeout', async () => {
    const { port } = await startAdmin({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const socket = await openSocket(port);
    const started = performance.now();
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    // A write route, authorized: it waits for the whole JSON body.
    socket.write(`PUT /algorithm HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 1000\r\n\r\n{`);
    const dribble = setInterval(() => socket.writable && socket.write(' '), 50);
    const closed = await closesWithin(socket, 3000);
    clearInterval(dribble);
    socket.destroy();
    const closedAfter = performance.now() - started;
    expect(closed).toBe(true);
    expect(closedAfter).toBeGreaterThanOrEqual(550);
    expect(closedAfter).toBeLessThan(300 * 0.2 + 600 + 150);
    expect(parseResponse(received)?.status).toBe(408);
  });

  it('closes connections beyond the cap at once, and accepts again when one leaves', async () => {
    const { port } = await startAdmin({ maxConnections: 2 });
    const open = [await openSocket(port), await openSocket(port)];
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the server accept both
    const third = await rawExchange(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n', { timeoutMs: 2000 });
    expect(third.closed).toBe(true);
    expect(third.text).toBe('');
    expect(third.closedAfterMs).toBeLessThan(500);
    open[0]!.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const fourth = await rawExchange(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(parseResponse(fourth.text)?.status).toBe(200);
    open[1]!.destroy();
  });
});
