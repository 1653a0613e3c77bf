import { spawnSync } from 'node:child_process';
import { type ClientRequest, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkRequest, redactEnv } from '../../infra/images/docker-api-proxy/allowlist.mjs';
import { docker, type EngineInfo, loadEngine } from '../src/private-engine.js';
import { waitFor } from '../src/wait-for.js';
import { CADVISOR_DOCKER_CALLS, CADVISOR_VERSION, NOT_CADVISOR_CALLS } from './cadvisor-docker-calls.js';
import { PROXY_DIR, type RunningProxy, send as sendTo, startProxy } from './docker-api-proxy.support.js';

/**
 * The read-only gate between the balancer (and Prometheus) and the Docker socket:
 * its rules on their own, then the real proxy process in front of this run's real engine,
 * spoken to byte for byte (node:http sends the path as written; fetch would tidy it).
 * Smuggling attempts are in docker-api-proxy.smuggling.test.ts, the parts' rules in
 * docker-api-proxy.rules.test.ts, the image under its memory limit in
 * docker-api-proxy.memory.test.ts.
 */

describe('docker-api proxy rules', () => {
  it.each([
    ['GET', '/_ping'],
    ['HEAD', '/_ping'],
    ['GET', '/v1.41/version'],
    ['GET', '/v1.41/info'],
    ['GET', '/v1.41/events?since=1700000000&filters=%7B%22label%22%3A%5B%22lbpoc.enable%22%5D%7D'],
    ['GET', '/v1.41/containers/json?filters=%7B%7D'],
    ['GET', '/v1.41/containers/0123456789ab/json'],
    ['GET', '/v1.41/containers/lbpoc-backend-1/json'],
    ['GET', '/networks'],
    ['GET', '/v1.41/services?filters=%7B%7D'],
    ['GET', '/v1.41/tasks?filters=%7B%7D'],
    ['GET', '/v1.41/images/json'],
  ])('lets %s %s through', (method, url) => {
    expect(checkRequest(method, url)).toMatchObject({ allowed: true });
  });

  it.each([
    ['POST', '/v1.41/containers/create'],
    ['DELETE', '/v1.41/containers/abc'],
    ['POST', '/v1.41/containers/abc/exec'],
    ['POST', '/v1.41/containers/abc/start'],
    ['POST', '/build'],
    ['GET', '/v1.41/containers/abc/logs?stdout=1'],
    ['GET', '/v1.41/containers/abc/archive?path=/etc'],
    ['GET', '/v1.41/containers/abc/export'],
    ['GET', '/v1.41/secrets'],
    ['GET', '/v1.41/configs'],
    ['GET', '/v1.41/images/sha256:0123/json'],
    ['GET', '/v1.41/images/json/../get'],
    ['GET', '/v1.41/containers/abc/stats'],
    ['GET', '/v1.41/system/df'],
    ['GET', '/v1.41/containers/json/../create'],
    ['GET', '/v1.41/containers/%2e%2e/json'],
    ['GET', '/v1.41//containers/json'],
    ['GET', '/v1.41/containers/.hidden/json'],
    ['GET', 'containers/json'],
  ])('refuses %s %s', (method, url) => {
    expect(checkRequest(method, url)).toMatchObject({ allowed: false });
  });

  it('marks inspect, services and tasks for redaction, and removes every Env key at any depth', () => {
    expect(checkRequest('GET', '/v1.41/containers/abc/json')).toMatchObject({ redactEnv: true });
    expect(checkRequest('GET', '/v1.41/containers/json')).toMatchObject({ redactEnv: false });
    const task = { Spec: { ContainerSpec: { Env: ['PASSWORD=x'], Labels: { a: 'b' } } }, Config: { Env: ['X=1'], Image: 'i' } };
    expect(redactEnv([task])).toEqual([{ Spec: { ContainerSpec: { Labels: { a: 'b' } } }, Config: { Image: 'i' } }]);
  });
});

describe('docker-api proxy in front of a real engine', () => {
  let engine: EngineInfo;
  let proxy: RunningProxy;
  let containerId: string;

  const send = (method: string, path: string, body?: string) => sendTo(proxy.port, method, path, body);

  beforeAll(async () => {
    engine = loadEngine(inject('engineDir'));
    // A container with a secret in its environment, to look at through the proxy.
    containerId = (
      await docker(engine, ['run', '-d', '--rm', '--network', 'none', '--label', 'lbpoc.e2e=proxy', '-e', 'SECRET=hunter2', 'lbpoc/backend:local'])
    ).trim();
    proxy = await startProxy(engine);
  });

  afterAll(async () => {
    proxy?.stop();
    if (containerId) await docker(engine, ['rm', '-f', containerId]).catch(() => undefined);
  });

  it('passes discovery calls and removes the environment from what it passes', async () => {
    expect((await send('GET', '/_ping')).body).toBe('OK');
    expect(JSON.parse((await send('GET', '/v1.41/version')).body)).toHaveProperty('ApiVersion');
    expect((await send('HEAD', '/_ping')).status).toBe(200);
    const list = await send('GET', `/v1.41/containers/json?filters=${encodeURIComponent(JSON.stringify({ label: ['lbpoc.e2e=proxy'] }))}`);
    expect(list.status).toBe(200);
    expect((JSON.parse(list.body) as { Id: string }[]).map((c) => c.Id)).toEqual([containerId]);
    const inspect = await send('GET', `/v1.41/containers/${containerId}/json`);
    expect(inspect.status).toBe(200);
    expect(inspect.body).not.toContain('hunter2');
    const inspected = JSON.parse(inspect.body) as { Config: { Labels: Record<string, string>; Env?: string[] } };
    expect(inspected.Config.Labels['lbpoc.e2e']).toBe('proxy');
    expect(inspected.Config).not.toHaveProperty('Env');
    expect(Number(inspect.headers['content-length'])).toBe(Buffer.byteLength(inspect.body));
    // The engine's own answers pass with their status: a missing container is the engine's 404.
    expect((await send('GET', '/v1.41/containers/no-such-container/json')).status).toBe(404);
  });

  it('refuses writes and raw traversal paths with 403, and the engine is untouched', async () => {
    const create = await send('POST', '/v1.41/containers/create', JSON.stringify({ Image: 'lbpoc/backend:local' }));
    expect(create.status).toBe(403);
    expect(create.headers.connection).toBe('close');
    expect(JSON.parse(create.body)).toMatchObject({ message: expect.stringContaining('read-only') });
    expect((await send('POST', `/v1.41/containers/${containerId}/kill`)).status).toBe(403);
    expect((await send('GET', '/v1.41/containers/json/../../v1.41/containers/create')).status).toBe(403);
    expect((await send('GET', `/v1.41/containers/${containerId}/logs?stdout=1`)).status).toBe(403);
    const running = await docker(engine, ['ps', '-q', '--no-trunc', '--filter', 'label=lbpoc.e2e=proxy']);
    expect(running.trim()).toBe(containerId);
  });

  describe(`cAdvisor ${CADVISOR_VERSION}'s calls (cadvisor-docker-calls.ts, from its source)`, () => {
    // The path as cAdvisor's client sends it: the negotiated version (the engine's, at most
    // its client's 1.41), a real container and a real image of this engine.
    let version: string;
    let image: string;
    const path = (template: string) => template.replaceAll('{version}', version).replaceAll('{id}', containerId).replaceAll('{image}', image);

    beforeAll(async () => {
      const { ApiVersion } = JSON.parse((await send('GET', '/version')).body) as { ApiVersion: string };
      version = `v${Number(ApiVersion) < 1.41 ? ApiVersion : '1.41'}`;
      image = (await docker(engine, ['image', 'inspect', '--format', '{{.Id}}', 'lbpoc/backend:local'])).trim().replace('sha256:', '').slice(0, 12);
    });

    it.each(CADVISOR_DOCKER_CALLS.map((call) => [call.method, call.path, call] as const))('passes %s %s', async (method, template, call) => {
      const answer = await send(method, path(template));
      expect(answer.status, `${call.source}: ${answer.body.slice(0, 300)}`).toBe(200);
      expect(answer.headers['api-version']).toBeDefined();
    });

    it('passes what cAdvisor reads from those answers (the environment alone is removed)', async () => {
      const info = JSON.parse((await send('GET', path('/{version}/info'))).body) as Record<string, unknown>;
      for (const field of ['ServerVersion', 'Driver', 'DriverStatus', 'DockerRootDir', 'OperatingSystem', 'Name', 'Images', 'Containers'])
        expect(info).toHaveProperty(field);
      const versions = JSON.parse((await send('GET', path('/{version}/version'))).body) as Record<string, unknown>;
      expect(versions).toHaveProperty('Version');
      expect(versions).toHaveProperty('ApiVersion');
      const inspected = JSON.parse((await send('GET', path('/{version}/containers/{id}/json'))).body) as Record<string, Record<string, unknown>>;
      for (const field of [
        'State.Running',
        'State.Pid',
        'Created',
        'Name',
        'RestartCount',
        'Config.Labels',
        'Config.Image',
        'HostConfig.NetworkMode',
        'NetworkSettings.IPAddress',
        'GraphDriver.Data',
      ]) {
        expect(inspected, field).toHaveProperty(field);
      }
      expect(inspected.Config).not.toHaveProperty('Env');
      const images = JSON.parse((await send('GET', path('/{version}/images/json'))).body) as { Id: string; RepoTags: string[] }[];
      expect(images.some((i) => i.Id.includes(image) && i.RepoTags.includes('lbpoc/backend:local'))).toBe(true);
    });

    it.each(NOT_CADVISOR_CALLS.map((call) => [call.method, call.path] as const))('refuses %s %s, which cAdvisor does not call', async (method, template) => {
      const answer = await send(method, path(template));
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body).message).toMatch(/is not an endpoint this proxy allows/);
    });
  });

  it('refuses a query parameter given twice (parsers disagree on which one counts)', async () => {
    const twice = await send('GET', `/v1.41/containers/json?filters=${encodeURIComponent('{}')}&filters=${encodeURIComponent('{"label":["x"]}')}`);
    expect(twice.status).toBe(400);
    expect(JSON.parse(twice.body)).toMatchObject({ message: expect.stringContaining('"filters" is given more than once') });
  });

  it('streams container start events as they happen, and no exec events (their command lines stay inside)', async () => {
    const label = `lbpoc.e2e=events-${Date.now()}`;
    // `since` (a second back, on this host's clock, which is the engine's): the engine
    // replays what happened since, so nothing is missed however late a stream attaches.
    const since = Math.floor(Date.now() / 1000) - 1;
    const path = `/v1.41/events?since=${since}&filters=${encodeURIComponent(JSON.stringify({ label: [label] }))}`;
    // The same stream straight from the engine, to show the exec events do happen.
    const direct = collectEvents({ socketPath: engine.socketPath, path });
    const proxied = collectEvents({ host: '127.0.0.1', port: proxy.port, path });
    const id = (await docker(engine, ['run', '-d', '--network', 'none', '--label', label, 'lbpoc/backend:local'])).trim();
    try {
      await docker(engine, ['exec', id, 'node', '-e', 'process.exit(0) /* SECRET=exec-secret */']);
      await docker(engine, ['rm', '-f', id]);
      const sawAll = (events: Event[]) => events.some((e) => e.Action === 'destroy' && e.Actor?.ID === id);
      await waitFor('the destroy event on both streams', () => sawAll(direct.events) && sawAll(proxied.events), { timeoutMs: 20_000 });
      await Promise.all([direct.open, proxied.open]);
      const actions = (events: Event[]) => events.filter((e) => e.Actor?.ID === id).map((e) => e.Action ?? '');
      expect(actions(direct.events).some((a) => a.startsWith('exec_create') && a.includes('exec-secret'))).toBe(true);
      expect(actions(proxied.events)).toContain('start');
      expect(actions(proxied.events).filter((a) => a.startsWith('exec_'))).toEqual([]);
      expect(proxied.raw()).not.toContain('exec-secret');
      expect(actions(proxied.events).every((a) => ['start', 'kill', 'die', 'stop', 'destroy'].includes(a))).toBe(true);
    } finally {
      direct.close();
      proxied.close();
      await docker(engine, ['rm', '-f', id]).catch(() => undefined);
    }
  });

  it('refuses event filters outside what it passes, naming what is allowed', async () => {
    const events = (filters: unknown, extra = '') => send('GET', `/v1.41/events?until=1&filters=${encodeURIComponent(JSON.stringify(filters))}${extra}`);
    const image = await events({ type: ['image'] });
    expect(image.status).toBe(403);
    expect(JSON.parse(image.body).message).toMatch(/type "image" .*allowed type values: container, network/);
    const exec = await events({ event: { exec_create: true } });
    expect(exec.status).toBe(403);
    expect(JSON.parse(exec.body).message).toMatch(/event "exec_create"/);
    expect((await events({ label: ['x'] }, '&stream=1')).status).toBe(400);
    // The engine's own refusal (a `since` it cannot read) passes with its status and message.
    const engineSays = await send('GET', '/v1.41/events?until=1&since=someday');
    expect(engineSays.status).toBeGreaterThanOrEqual(400);
    expect(JSON.parse(engineSays.body).message).toMatch(/someday/);
    // Within the lists, and bounded by `until`: the engine answers and ends the stream.
    expect((await events({ type: ['container'], event: ['start'] })).status).toBe(200);
  });

  it('refuses an inspect answer over MAX_REDACTED_BYTES with 502 rather than passing it, and keeps serving', async () => {
    const small = await startProxy(engine, { MAX_REDACTED_BYTES: '1024' });
    try {
      const inspect = await sendTo(small.port, 'GET', `/v1.41/containers/${containerId}/json`);
      expect(inspect.status).toBe(502);
      expect(inspect.body).not.toContain('hunter2');
      expect(JSON.parse(inspect.body).message).toMatch(/over 1024 bytes \(MAX_REDACTED_BYTES\)/);
      // Answers that need no redaction stream through whatever their size.
      const info = await sendTo(small.port, 'GET', '/v1.41/info');
      expect(info.status).toBe(200);
      expect(Buffer.byteLength(info.body)).toBeGreaterThan(1024);
      expect((await sendTo(small.port, 'GET', '/_ping')).status).toBe(200);
    } finally {
      small.stop();
    }
  });

  it.each([
    ['MAX_REDACTED_BYTES', 'lots', /MAX_REDACTED_BYTES="lots" is not valid: expected an integer from 1024 to 4194304/],
    ['MAX_REDACTED_BYTES', '67108864', /MAX_REDACTED_BYTES="67108864" is not valid/],
    ['PORT', '70000', /PORT="70000" is not valid: expected an integer from 1 to 65535/],
    ['DOCKER_SOCKET', 'docker.sock', /DOCKER_SOCKET="docker.sock" is not valid: expected an absolute path/],
  ])('stops at start on %s=%s, naming the variable, the value and what is allowed', (name, value, message) => {
    const run = spawnSync(process.execPath, [`${PROXY_DIR}/proxy.mjs`], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(proxy.port), [name]: value },
      timeout: 10_000,
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});

interface Event {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/** Reads an event stream into a list until closed; `open` settles with the answer's head (rejects on another status or an error). */
function collectEvents(target: { socketPath: string; path: string } | { host: string; port: number; path: string }) {
  const events: Event[] = [];
  let text = '';
  let req: ClientRequest | undefined;
  const open = new Promise<void>((resolve, reject) => {
    req = request({ ...target, agent: false, timeout: 60_000 }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`events answered ${res.statusCode}`));
      resolve();
      res.setEncoding('utf8');
      let pending = '';
      res.on('data', (chunk: string) => {
        text += chunk;
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) if (line.trim() !== '') events.push(JSON.parse(line) as Event);
      });
    });
    req.on('timeout', () => req?.destroy());
    req.on('error', reject);
    req.end();
  });
  // Awaited only after the events are in; until then a failure must not count as unhandled.
  open.catch(() => undefined);
  return { open, events, raw: () => text, close: () => req?.destroy() };
}
