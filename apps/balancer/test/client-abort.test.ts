import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from './test-backend.js';
import { startTestBalancer, type TestBalancer, waitFor } from './test-balancer.js';

let backends: TestBackend[] = [];
let lb: TestBalancer | undefined;

/** Starts a chunked upload, lets the balancer begin forwarding it, then vanishes (or half-closes). */
async function abortedUpload(port: number, how: 'reset' | 'half-close'): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  socket.resume(); // read (and drop) what comes back, so the server's FIN is seen
  await new Promise((resolve) => socket.on('connect', resolve));
  socket.write('POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n');
  await new Promise((resolve) => setTimeout(resolve, 60));
  if (how === 'reset') socket.resetAndDestroy();
  else socket.end();
  await new Promise((resolve) => socket.on('close', resolve));
}

describe('clients that abort an upload', () => {
  it('never count against the backend: no connect failures, no ejection, nothing left in flight', async () => {
    backends = [await startTestBackend('b0')];
    // Ejection after 2 connect failures: five aborts would eject the backend if they were blamed on it.
    lb = await startTestBalancer(backends, { EJECT_AFTER_CONNECT_FAILURES: '2', EJECT_AFTER_5XX: '2', HEALTH_CHECKS: 'off' });
    for (let i = 0; i < 5; i++) await abortedUpload(lb.balancer.port, i % 2 === 0 ? 'reset' : 'half-close');
    const backend = lb.balancer.pool.all()[0]!;
    await waitFor(() => backend.inFlight === 0, 2000, 'the aborted uploads to be released');
    expect(backends[0]!.hits).toBe(5); // the uploads did reach the backend
    expect(backend.counters).toMatchObject({ connectFailures: 0, http5xx: 0, timeouts: 0, ejections: 0 });
    expect(backend.ejected).toBe(false);
    expect((await fetch(`${lb.url}/`)).status).toBe(200);
  });

  it('a client that leaves while the backend is still working: the upstream request is abandoned, the backend not blamed', async () => {
    const backendSeen: string[] = [];
    const { createServer } = await import('node:http');
    const slow = createServer((req, res) => {
      backendSeen.push('request');
      req.socket.on('close', () => backendSeen.push('closed'));
      setTimeout(() => res.end('late'), 3000).unref();
    });
    slow.listen(0, '127.0.0.1');
    await new Promise((resolve) => slow.on('listening', resolve));
    const port = (slow.address() as { port: number }).port;
    try {
      lb = await startTestBalancer([{ port } as TestBackend], { EJECT_AFTER_CONNECT_FAILURES: '1', HEALTH_CHECKS: 'off' });
      const socket = connect(lb.balancer.port, '127.0.0.1');
      socket.on('error', () => {});
      await new Promise((resolve) => socket.on('connect', resolve));
      socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
      await waitFor(() => backendSeen.includes('request'), 2000, 'the request to reach the backend');
      socket.destroy();
      // The balancer gives the upstream request up: its connection to the backend closes.
      await waitFor(() => backendSeen.includes('closed'), 2000, 'the backend connection to close');
      const backend = lb.balancer.pool.all()[0]!;
      await waitFor(() => backend.inFlight === 0, 2000, 'the request to be released');
      expect(backend.counters).toMatchObject({ connectFailures: 0, timeouts: 0, http5xx: 0, ejections: 0 });
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });
});
