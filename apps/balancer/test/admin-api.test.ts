import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type Balancer, startBalancer } from '../src/balancer.js';
import { loadConfig } from '../src/config/config.js';
import { startTestBackend, type TestBackend } from './test-backend.js';
import { servedBy, tally, waitFor } from './test-balancer.js';

const TOKEN = 'test-admin-token-0123456789';

let backends: TestBackend[] = [];
let balancer: Balancer | undefined;
let logs: Record<string, unknown>[] = [];

afterEach(async () => {
  await balancer?.close();
  await Promise.all(backends.map((b) => b.kill().catch(() => {})));
  balancer = undefined;
  backends = [];
  logs = [];
});

/** The real balancer in-process, its JSON log lines collected for assertions. */
async function setup(delays: number[], env: Record<string, string> = {}) {
  backends = await Promise.all(delays.map((delay, i) => startTestBackend(`b${i}`, delay)));
  const config = loadConfig({
    BACKEND_SERVERS: backends.map((b) => `127.0.0.1:${b.port}`).join(','),
    HOST: '127.0.0.1',
    METRICS_HOST: '127.0.0.1',
    PORT: '0',
    METRICS_PORT: '0',
    HEALTH_CHECKS: 'off',
    SLOW_START_MS: '0',
    SHUTDOWN_TIMEOUT_MS: '2000',
    ...env,
  });
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  balancer = await startBalancer(config, pino({ level: 'info' }, sink));
  const url = `http://127.0.0.1:${balancer.port}`;
  const admin = `http://127.0.0.1:${balancer.metricsPort}`;
  const ids = backends.map((b) => `127.0.0.1:${b.port}`);
  return { url, admin, ids };
}

/** `token: null` sends no Authorization header. */
function change(admin: string, method: string, path: string, body?: unknown, token: string | null = TOKEN, raw?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'admin-api-test' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
  return fetch(`${admin}${path}`, payload === undefined ? { method, headers } : { method, headers, body: payload });
}

async function backendsOf(
  admin: string,
): Promise<{ default_algorithm: string; backends: { id: string; drained: boolean; inFlight: number; configuredWeight: number }[] }> {
  return (await (await fetch(`${admin}/backends`)).json()) as never;
}

describe('admin API without ADMIN_TOKEN', () => {
  it('keeps the read-only routes open and answers every write route 403, saying how to enable it', async () => {
    const { admin, ids } = await setup([0]);
    for (const path of ['/healthz', '/readyz', '/backends', '/metrics']) expect((await fetch(`${admin}${path}`)).status, path).toBe(200);
    for (const [method, path, body] of [
      ['POST', `/backends/${ids[0]}/drain`, undefined],
      ['POST', `/backends/${ids[0]}/undrain`, undefined],
      ['PUT', `/backends/${ids[0]}/weight`, { weight: 2 }],
      ['PUT', '/algorithm', { default: 'round_robin' }],
    ] as const) {
      const response = await change(admin, method, path, body);
      expect(response.status, path).toBe(403);
      const json = (await response.json()) as { error: string; message: string };
      expect(json.error).toBe('admin_writes_disabled');
      expect(json.message).toContain('ADMIN_TOKEN');
    }
    expect((await backendsOf(admin)).backends[0]!.drained).toBe(false);
    expect((await fetch(`${admin}/backends`, { method: 'POST' })).status).toBe(405);
  });
});

describe('admin API with ADMIN_TOKEN', () => {
  it('answers 401 with WWW-Authenticate to a missing or wrong token, and changes nothing', async () => {
    const { admin, ids } = await setup([0], { ADMIN_TOKEN: TOKEN });
    const missing = await change(admin, 'POST', `/backends/${ids[0]}/drain`, undefined, null);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="lbpoc-admin"');
    const wrong = await change(admin, 'POST', `/backends/${ids[0]}/drain`, undefined, `${TOKEN}x`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer realm="lbpoc-admin", error="invalid_token"');
    expect(((await wrong.json()) as { error: string }).error).toBe('unauthorized');
    expect((await backendsOf(admin)).backends[0]!.drained).toBe(false);
    expect(logs.filter((l) => l.msg === 'admin change refused: bad or missing token')).toHaveLength(2);
    expect(JSON.stringify(logs)).not.toContain(TOKEN);
  });

  it('answers 400 naming the value and what is allowed, 404 for an unknown backend, 405 for a wrong method', async () => {
    const { admin, ids } = await setup([0], { ADMIN_TOKEN: TOKEN });
    const weight = `/backends/${ids[0]}/weight`;
    const cases: [string, string, unknown, string | undefined, number, string, RegExp][] = [
      ['PUT', weight, undefined, '{"weight":', 400, 'invalid_json', /not valid JSON/],
      ['PUT', weight, undefined, '', 400, 'invalid_json', /needs a JSON body/],
      ['PUT', weight, [3], undefined, 400, 'invalid_body', /JSON object like \{"weight"/],
      ['PUT', weight, { weight: 2.5 }, undefined, 400, 'invalid_value', /integer from 0 to 1000 .*got 2\.5/],
      ['PUT', weight, { weight: 1001 }, undefined, 400, 'invalid_value', /got 1001/],
      ['PUT', weight, { weight: '3' }, undefined, 400, 'invalid_value', /got "3"/],
      ['PUT', weight, { weight: 3, extra: 1 }, undefined, 400, 'invalid_body', /unexpected field\(s\) "extra"/],
      ['PUT', weight, {}, undefined, 400, 'invalid_body', /needs a "weight" field/],
      ['PUT', '/algorithm', { default: 'fastest' }, undefined, 400, 'invalid_value', /one of round_robin, .*got "fastest"/],
      ['PUT', '/backends/10.9.9.9:1/weight', { weight: 2 }, undefined, 404, 'unknown_backend', new RegExp(`known ids: ${ids[0]}`)],
      ['POST', '/backends/10.9.9.9:1/drain', undefined, undefined, 404, 'unknown_backend', /no backend "10\.9\.9\.9:1"/],
      ['POST', '/backends/%E0%A4%A/drain', undefined, undefined, 400, 'invalid_backend_id', /percent-encoding/],
      ['GET', `/backends/${ids[0]}/drain`, undefined, undefined, 405, 'method_not_allowed', /use POST/],
      ['POST', weight, { weight: 2 }, undefined, 405, 'method_not_allowed', /use PUT/],
      ['POST', '/workers/0/restart', undefined, undefined, 404, 'unknown_worker', /no worker 0: this balancer runs without worker threads \(WORKERS=1\)/],
      ['GET', '/workers/0/restart', undefined, undefined, 405, 'method_not_allowed', /use POST/],
    ];
    for (const [method, path, body, raw, status, error, message] of cases) {
      const response = await change(admin, method, path, body, TOKEN, raw);
      const json = (await response.json()) as { error: string; message: string };
      expect({ path, body, raw, status: response.status, error: json.error }).toEqual({ path, body, raw, status, error });
      expect(json.message).toMatch(message);
    }
    const tooLarge = await change(admin, 'PUT', '/algorithm', undefined, TOKEN, JSON.stringify({ default: 'x'.repeat(5000) }));
    expect(tooLarge.status).toBe(413);
    expect((await backendsOf(admin)).backends[0]!.configuredWeight).toBe(1);
  });

  it('drains a backend: no new requests go to it, its in-flight request finishes; undrain brings it back', async () => {
    const { url, admin, ids } = await setup([800, 0], { ADMIN_TOKEN: TOKEN });
    // Round robin sends the first request to the slow backend, the second to the fast one.
    const slow = fetch(`${url}/?algo=round_robin`);
    await waitFor(() => backends[0]!.hits === 1, 5000, 'the first request to reach the slow backend');

    const drained = await change(admin, 'POST', `/backends/${ids[0]}/drain`);
    expect(drained.status).toBe(200);
    expect(((await drained.json()) as { backend: { drained: boolean; inFlight: number; weight: number } }).backend).toMatchObject({
      drained: true,
      inFlight: 1,
      weight: 0,
    });
    const during = tally(await servedBy(`${url}/?algo=round_robin`, 10));
    expect(during).toEqual({ [`200:${ids[1]}`]: 10 });
    for (const algo of ['least_connections', 'p2c', 'ip_hash', 'adaptive']) {
      expect(new Set(await servedBy(`${url}/?algo=${algo}`, 5)), algo).toEqual(new Set([`200:${ids[1]}`]));
    }

    const finished = await slow;
    expect(finished.status).toBe(200);
    expect(finished.headers.get('x-lbpoc-backend')).toBe(ids[0]);
    expect(((await finished.json()) as { server_id: string }).server_id).toBe('b0');
    expect(backends[0]!.hits).toBe(1);
    expect((await backendsOf(admin)).backends[0]).toMatchObject({ drained: true, inFlight: 0 });

    expect((await change(admin, 'POST', `/backends/${ids[0]}/undrain`)).status).toBe(200);
    expect(tally(await servedBy(`${url}/?algo=round_robin`, 4))[`200:${ids[0]}`]).toBe(2);

    const entries = logs.filter((l) => typeof l.msg === 'string' && (l.msg as string).startsWith('admin change:'));
    expect(entries.map((l) => [l.change, l.backend])).toEqual([
      ['drain', ids[0]],
      ['undrain', ids[0]],
    ]);
    expect(entries[0]).toMatchObject({
      admin: { address: '127.0.0.1', user_agent: 'admin-api-test' },
      before: { drained: false },
      after: { drained: true },
      in_flight: 1,
    });
  });

  it('changes a weight and the default algorithm at run time, logging before and after', async () => {
    const { url, admin, ids } = await setup([0, 0], { ADMIN_TOKEN: TOKEN, DEFAULT_ALGORITHM: 'p2c' });
    const weighted = await change(admin, 'PUT', `/backends/${encodeURIComponent(ids[0]!)}/weight`, { weight: 3 });
    expect(weighted.status).toBe(200);
    expect(((await weighted.json()) as { backend: { configuredWeight: number } }).backend.configuredWeight).toBe(3);
    expect(tally(await servedBy(`${url}/?algo=weighted_round_robin`, 40))).toEqual({ [`200:${ids[0]}`]: 30, [`200:${ids[1]}`]: 10 });

    const algorithm = await change(admin, 'PUT', '/algorithm', { default: 'round_robin' });
    expect(await algorithm.json()).toEqual({ default_algorithm: 'round_robin', previous: 'p2c' });
    expect((await fetch(`${url}/`)).headers.get('x-lbpoc-algorithm')).toBe('round_robin');
    expect((await backendsOf(admin)).default_algorithm).toBe('round_robin');
    expect(logs.find((l) => l.change === 'weight')).toMatchObject({ backend: ids[0], before: 1, after: 3 });
    expect(logs.find((l) => l.change === 'default_algorithm')).toMatchObject({ before: 'p2c', after: 'round_robin' });
  });
});
