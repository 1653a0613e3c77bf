import { Agent, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, startTestBackend, type TestBackend } from '../../test/http-backend.js';
import { probeHealth } from './http-probe.js';

describe('probeHealth (real HTTP on 127.0.0.1)', () => {
  let backend: TestBackend;
  let agent: Agent;
  const never = new AbortController().signal;

  beforeAll(async () => {
    backend = await startTestBackend();
  });
  afterAll(() => backend.close());
  afterEach(() => agent?.destroy());

  const probe = (path: string, port = backend.port, timeoutMs = 500, signal = never) => {
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
    return probeHealth({ host: '127.0.0.1', port, path }, { agent, timeoutMs, signal });
  };

  it('passes on 2xx', async () => {
    backend.healthStatus = 204;
    expect(await probe('/health')).toEqual({ passed: true, detail: 'HTTP 204' });
  });

  it('fails on 500 and on 404', async () => {
    backend.healthStatus = 500;
    expect(await probe('/health')).toEqual({ passed: false, detail: 'HTTP 500' });
    backend.healthStatus = 404;
    expect(await probe('/health')).toEqual({ passed: false, detail: 'HTTP 404' });
    backend.healthStatus = 200;
  });

  it('fails with the error code when nothing listens', async () => {
    expect(await probe('/health', await closedPort())).toEqual({ passed: false, detail: 'ECONNREFUSED' });
  });

  it('fails with a timeout when the backend does not answer in time', async () => {
    const started = performance.now();
    expect(await probe('/hang', backend.port, 50)).toEqual({ passed: false, detail: 'timeout after 50 ms' });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('reports an abort as such', async () => {
    const controller = new AbortController();
    const result = probe('/hang', backend.port, 5000, controller.signal);
    setTimeout(() => controller.abort(), 20);
    expect(await result).toEqual({ passed: false, detail: 'aborted' });
  });

  it('reuses one keep-alive connection across checks', async () => {
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const options = { agent, timeoutMs: 500, signal: never };
    let connections = 0;
    const count = () => connections++;
    backend.server.on('connection', count);
    for (let i = 0; i < 3; i++) expect((await probeHealth({ host: '127.0.0.1', port: backend.port, path: '/health' }, options)).passed).toBe(true);
    backend.server.off('connection', count);
    expect(connections).toBe(1);
  });

  it('retries once on a fresh connection when a reused one turns out to be closed', async () => {
    // The server drops every connection on its second request, as a server does whose
    // keep-alive timeout fires just as the client reuses the socket.
    const served = new WeakMap<Socket, number>();
    const server = createServer((req, res) => {
      const count = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, count);
      if (count > 1) req.socket.destroy();
      else res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const options = { agent, timeoutMs: 500, signal: never };
    try {
      expect(await probeHealth({ host: '127.0.0.1', port, path: '/health' }, options)).toEqual({ passed: true, detail: 'HTTP 200' });
      expect(await probeHealth({ host: '127.0.0.1', port, path: '/health' }, options)).toEqual({ passed: true, detail: 'HTTP 200' });
    } finally {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
