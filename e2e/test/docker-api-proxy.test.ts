import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkRequest, redactEnv } from '../../infra/images/docker-api-proxy/allowlist.mjs';
import { freePort } from '../../test-support/free-port.js';
import { type EngineInfo, docker, loadEngine } from '../src/private-engine.js';
import { REPO_ROOT } from '../src/repo.js';
import { waitFor } from '../src/wait-for.js';

/**
 * The read-only gate between the balancer (and Prometheus) and the Docker socket:
 * its rules on their own, then the real proxy process in front of this run's real engine,
 * spoken to byte for byte (node:http sends the path as written; fetch would tidy it).
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
    ['GET', '/v1.41/images/json'],
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
  let proxy: ChildProcess;
  let port: number;
  let containerId: string;

  /** A raw request: status and body. */
  const send = (method: string, path: string, body?: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, timeout: 10_000, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
      req.on('error', reject);
      req.end(body);
    });

  beforeAll(async () => {
    engine = loadEngine(inject('engineDir'));
    // A container with a secret in its environment, to look at through the proxy.
    containerId = (
      await docker(engine, ['run', '-d', '--rm', '--network', 'none', '--label', 'lbpoc.e2e=proxy', '-e', 'SECRET=hunter2', 'lbpoc/backend:local'])
    ).trim();
    port = await freePort();
    proxy = spawn(process.execPath, [`${REPO_ROOT}infra/images/docker-api-proxy/proxy.mjs`], {
      env: { ...process.env, DOCKER_SOCKET: engine.socketPath, HOST: '127.0.0.1', PORT: String(port) },
      stdio: 'ignore',
    });
    await waitFor('the proxy to answer', async () => (await send('GET', '/_ping')).status === 200, { timeoutMs: 10_000 });
  });

  afterAll(async () => {
    proxy?.kill('SIGTERM');
    if (containerId) await docker(engine, ['rm', '-f', containerId]).catch(() => undefined);
  });

  it('passes discovery calls and removes the environment from what it passes', async () => {
    const list = await send('GET', `/v1.41/containers/json?filters=${encodeURIComponent(JSON.stringify({ label: ['lbpoc.e2e=proxy'] }))}`);
    expect(list.status).toBe(200);
    expect((JSON.parse(list.body) as { Id: string }[]).map((c) => c.Id)).toEqual([containerId]);
    const inspect = await send('GET', `/v1.41/containers/${containerId}/json`);
    expect(inspect.status).toBe(200);
    expect(inspect.body).not.toContain('hunter2');
    expect((JSON.parse(inspect.body) as { Config: { Labels: Record<string, string> } }).Config.Labels['lbpoc.e2e']).toBe('proxy');
  });

  it('refuses writes and raw traversal paths with 403, and the engine is untouched', async () => {
    const create = await send('POST', '/v1.41/containers/create', JSON.stringify({ Image: 'lbpoc/backend:local' }));
    expect(create.status).toBe(403);
    expect(JSON.parse(create.body)).toMatchObject({ message: expect.stringContaining('read-only') });
    expect((await send('POST', `/v1.41/containers/${containerId}/kill`)).status).toBe(403);
    expect((await send('GET', '/v1.41/containers/json/../../v1.41/containers/create')).status).toBe(403);
    expect((await send('GET', `/v1.41/containers/${containerId}/logs?stdout=1`)).status).toBe(403);
    const running = await docker(engine, ['ps', '-q', '--no-trunc', '--filter', 'label=lbpoc.e2e=proxy']);
    expect(running.trim()).toBe(containerId);
  });

  it('streams events as they happen', async () => {
    const events = new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: `/v1.41/events?filters=${encodeURIComponent(JSON.stringify({ label: ['lbpoc.e2e=events'] }))}`, agent: false }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (chunk.includes('"status":"create"')) {
            resolve(chunk);
            req.destroy();
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
    const id = (await docker(engine, ['create', '--label', 'lbpoc.e2e=events', 'lbpoc/backend:local'])).trim();
    try {
      expect(await events).toContain(id);
    } finally {
      await docker(engine, ['rm', '-f', id]);
    }
  });
});
