import { describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from './test-backend.js';
import { servedBy, startTestBalancer, type TestBalancer, tally } from './test-balancer.js';

let backends: TestBackend[] = [];
let lb: TestBalancer | undefined;

async function setup(delays: number[], env: Record<string, string> = {}, weights: number[] = []) {
  backends = await Promise.all(delays.map((delay, i) => startTestBackend(`b${i}`, delay)));
  lb = await startTestBalancer(backends, env, weights);
  return backends.map((b) => `200:127.0.0.1:${b.port}`);
}

describe('distribution over real sockets', () => {
  it('round_robin serves in exact thirds', async () => {
    const ids = await setup([0, 0, 0]);
    const counts = tally(await servedBy(`${lb!.url}/?algo=round_robin`, 30));
    expect(counts).toEqual({ [ids[0]!]: 10, [ids[1]!]: 10, [ids[2]!]: 10 });
  });

  it('weighted_round_robin serves in proportion to weights 5:1:1', async () => {
    const ids = await setup([0, 0, 0], {}, [5, 1, 1]);
    const counts = tally(await servedBy(`${lb!.url}/?algo=weighted_round_robin`, 70));
    expect(counts).toEqual({ [ids[0]!]: 50, [ids[1]!]: 10, [ids[2]!]: 10 });
  });

  it('ip_hash keeps each client on one backend, believing X-Forwarded-For only from a trusted proxy', async () => {
    await setup([0, 0, 0], { TRUSTED_PROXIES: '127.0.0.1' });
    const owners = new Set<string>();
    for (let client = 0; client < 30; client++) {
      const headers = { 'x-forwarded-for': `198.51.100.${client}` };
      const seen = new Set(await servedBy(`${lb!.url}/?algo=ip_hash`, 4, { headers }));
      expect(seen.size).toBe(1);
      owners.add([...seen][0]!);
    }
    expect(owners.size).toBe(3); // 30 clients spread over all three backends
  });

  it('ip_hash ignores X-Forwarded-For from an untrusted peer', async () => {
    await setup([0, 0, 0]);
    const seen = new Set<string>();
    for (let client = 0; client < 20; client++) {
      seen.add((await servedBy(`${lb!.url}/?algo=ip_hash`, 1, { headers: { 'x-forwarded-for': `198.51.100.${client}` } }))[0]!);
    }
    expect(seen.size).toBe(1); // every request is the same client: 127.0.0.1
  });

  it('least_connections steers away from a slow backend', async () => {
    const ids = await setup([0, 0, 150]);
    // Six clients in closed loops: the slow backend holds its requests longer, so it is
    // the one with more in flight whenever a pick is made.
    const results = (await Promise.all(Array.from({ length: 6 }, () => servedBy(`${lb!.url}/?algo=least_connections`, 15)))).flat();
    const counts = tally(results);
    expect(results.every((r) => r.startsWith('200:'))).toBe(true);
    expect(counts[ids[2]!] ?? 0).toBeLessThan(((counts[ids[0]!] ?? 0) + (counts[ids[1]!] ?? 0)) / 4);
  });

  it('names the algorithm actually used, adaptive included, and consumes ?algo=', async () => {
    await setup([0, 0]);
    const response = await fetch(`${lb!.url}/path?a=1&algo=p2c&b=2`);
    expect(response.headers.get('x-lbpoc-algorithm')).toBe('p2c');
    expect(backends.some((b) => b.lastUrl === '/path?a=1&b=2')).toBe(true);
    const adaptive = await fetch(`${lb!.url}/`);
    expect(adaptive.headers.get('x-lbpoc-algorithm')).toMatch(/^(round_robin|weighted_round_robin|least_connections)$/);
  });

  it('adds X-Forwarded-* and a request id, and passes the id to the backend', async () => {
    await setup([0]);
    const response = await fetch(`${lb!.url}/`, { headers: { 'x-request-id': 'trace-42', 'x-forwarded-for': '6.6.6.6' } });
    expect(response.headers.get('x-request-id')).toBe('trace-42');
    const seen = backends[0]!.lastHeaders;
    expect(seen['x-request-id']).toBe('trace-42');
    expect(seen['x-forwarded-for']).toBe('127.0.0.1'); // the untrusted client's own claim is dropped
    expect(seen['x-forwarded-proto']).toBe('http');
    expect(seen['x-forwarded-host']).toBe(new URL(lb!.url).host);
  });
});
