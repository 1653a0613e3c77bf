import { once } from 'node:events';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { drainHttpServer } from './drain-http-server.js';

let servers: Server[] = [];
afterEach(() => {
  for (const server of servers) server.closeAllConnections();
  servers = [];
});

/** A real server on 127.0.0.1 that answers after `delayMs`; counts what is in flight. */
async function start(delayMs: number): Promise<{ server: Server; url: string; inFlight: () => number }> {
  let inFlight = 0;
  const server = createServer((_req, res) => {
    inFlight++;
    setTimeout(() => {
      inFlight--;
      res.end('done');
    }, delayMs);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, inFlight: () => inFlight };
}

/** A GET over a keep-alive agent: the connection stays open after the response, as a proxy's would. */
function get(url: string, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('drainHttpServer', () => {
  it('lets the request in flight finish, closes the keep-alive connections, and resolves clean', async () => {
    const { server, url, inFlight } = await start(300);
    const agent = new Agent({ keepAlive: true });
    await get(url, agent); // an idle keep-alive connection
    const slow = get(url, agent);
    while (inFlight() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = Date.now();
    const result = await drainHttpServer(server, { timeoutMs: 5000, inFlight });
    expect(result).toEqual({ clean: true });
    expect(await slow).toEqual({ status: 200, body: 'done' });
    // Not the 5 s deadline: done once the slow response was out and its connection went idle.
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.listening).toBe(false);
    agent.destroy();
  });

  it('cuts what is still running at the deadline and says how many requests that was', async () => {
    const { server, url, inFlight } = await start(10_000);
    const agent = new Agent({ keepAlive: true });
    const stuck = [get(url, agent), get(url, agent)].map((p) =>
      p.then(
        () => 'answered',
        () => 'cut',
      ),
    );
    while (inFlight() < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const result = await drainHttpServer(server, { timeoutMs: 200, inFlight });
    expect(result).toEqual({ clean: false, cutRequests: 2 });
    expect(await Promise.all(stuck)).toEqual(['cut', 'cut']);
    agent.destroy();
  });
});
