import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { docker, type EngineInfo, loadEngine } from '../src/private-engine.js';
import { waitFor } from '../src/wait-for.js';
import { send } from './docker-api-proxy.support.js';

/**
 * The docker-api proxy's image as the stack runs it (64M memory limit, compose.yaml and
 * stack.yaml; read-only, no capabilities), asked for an answer it must redact that is far
 * larger than it may hold: the inspection of a container with 12 MiB of environment. Held
 * and parsed whole, that answer needs well over 64M and the kernel kills the proxy (and
 * with it every client's discovery). The proxy must refuse it (502) and keep serving.
 *
 * With LBPOC_E2E_PROXY_DIR (see docker-api-proxy.support.ts) the files of that folder run
 * on the Node base image instead of the built image, to show the test fails for an older
 * proxy.
 */

const ENV_BYTES = 12 * 1024 * 1024;
const LABEL = 'lbpoc.e2e=proxy-memory';

/** One call straight to the engine's socket (the test's own setup, not through the proxy). */
function engineCall(engine: EngineInfo, method: string, path: string, body?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        socketPath: engine.socketPath,
        method,
        path,
        timeout: 60_000,
        headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 60 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

describe('docker-api proxy image under its memory limit (real engine)', () => {
  let engine: EngineInfo;
  let bigId: string;
  let proxyId: string;
  let port: number;

  beforeAll(async () => {
    engine = loadEngine(inject('engineDir'));
    // Created, never started: inspecting it is all the test needs. 200 variables of 60 KiB
    // (the engine's own limits are per variable, not in total).
    const env = Array.from({ length: Math.ceil(ENV_BYTES / 61_440) }, (_, i) => `SECRET_${i}=${'s'.repeat(61_440)}`);
    const created = await engineCall(
      engine,
      'POST',
      '/containers/create',
      JSON.stringify({ Image: 'lbpoc/backend:local', Env: env, Labels: { 'lbpoc.e2e': 'proxy-memory' } }),
    );
    expect(created.status, created.body.slice(0, 500)).toBe(201);
    bigId = (JSON.parse(created.body) as { Id: string }).Id;

    const override = process.env.LBPOC_E2E_PROXY_DIR;
    const image = override ? ['-v', `${override}:/app:ro`, 'lbpoc/node:24-local', 'node', '/app/proxy.mjs'] : ['lbpoc/docker-api-proxy:local'];
    proxyId = (
      await docker(engine, [
        'run',
        '-d',
        '--label',
        LABEL,
        '--read-only',
        '--cap-drop',
        'ALL',
        '--security-opt',
        'no-new-privileges:true',
        '--user',
        '0:0',
        '--memory',
        '64m',
        '--memory-swap',
        '64m',
        '-v',
        `${engine.socketDir}:/host/docker-run:ro`,
        '-e',
        'DOCKER_SOCKET=/host/docker-run/docker.sock',
        '-p',
        '127.0.0.1::2375',
        ...image,
      ])
    ).trim();
    port = Number((await docker(engine, ['port', proxyId, '2375/tcp'])).trim().split(':').at(-1));
    await waitFor('the proxy container to answer', async () => (await send(port, 'GET', '/_ping')).status === 200, { timeoutMs: 30_000 });
  });

  afterAll(async () => {
    for (const id of [proxyId, bigId]) if (id) await docker(engine, ['rm', '-f', id]).catch(() => undefined);
  });

  it('refuses a 12 MiB answer it would have to redact, with 502 and no secret, and is still running', async () => {
    // Three at once: the bound holds for all answers in flight together, not each alone.
    const answers = await Promise.all(
      [1, 2, 3].map(() => send(port, 'GET', `/v1.41/containers/${bigId}/json`).catch((error: Error) => ({ status: 0, headers: {}, body: error.message }))),
    );
    const state = JSON.parse(await docker(engine, ['inspect', '--format', '{{json .State}}', proxyId])) as { Running: boolean; OOMKilled: boolean };
    expect(state, 'the proxy container is alive and was not killed for memory').toMatchObject({ Running: true, OOMKilled: false });
    for (const answer of answers) {
      expect([502, 503], answer.body.slice(0, 300)).toContain(answer.status);
      expect(answer.body).not.toContain('ssssssss');
      expect(JSON.parse(answer.body).message).toMatch(/MAX_REDACTED_BYTES/);
    }
    expect((await send(port, 'GET', '/_ping')).status).toBe(200);
    // The same container in a list (no environment there) streams through unbounded.
    const list = await send(port, 'GET', `/v1.41/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: ['lbpoc.e2e=proxy-memory'] }))}`);
    expect(list.status).toBe(200);
    expect((JSON.parse(list.body) as { Id: string }[]).map((c) => c.Id)).toContain(bigId);
  });
});
