import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { freePort } from '../../../test-support/free-port.js';
import { startTestBackend, type TestBackend } from './test-backend.js';
import { waitFor } from './test-balancer.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
let children: ChildProcess[] = [];
let backends: TestBackend[] = [];

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`pnpm --filter @lbpoc/balancer build\` first (turbo's test task does)`);
});

afterEach(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(backends.map((b) => b.kill().catch(() => {})));
  children = [];
  backends = [];
});

function run(env: Record<string, string>, cwd?: string) {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...(cwd && { cwd }) });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return { child, output: () => ({ stdout, stderr }) };
}

describe('the balancer process', () => {
  it('exits non-zero naming a bad variable, its value and what is allowed, without a stack trace', async () => {
    const { child, output } = run({ BACKEND_SERVERS: '127.0.0.1:5001', DEFAULT_ALGORITHM: 'fastest', PORT: '99999' });
    const [code] = await once(child, 'exit');
    const { stderr } = output();
    expect(code).toBe(2);
    expect(stderr).toContain('DEFAULT_ALGORITHM="fastest"');
    expect(stderr).toContain('round_robin');
    expect(stderr).toContain('PORT="99999"');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 naming an algorithm module that cannot be used (missing, no plugin, a built-in name) or a default none names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lbpoc-modules-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const plugin = (name: string) =>
      `export default { name: '${name}', create: () => ({ name: '${name}', lastUsed: '${name}', pick: (s) => s[0], observe() {} }) };\n`;
    writeFileSync(join(dir, 'clash.mjs'), plugin('round_robin'));
    writeFileSync(join(dir, 'empty.mjs'), 'export const unrelated = 1;\n');
    writeFileSync(join(dir, 'first.mjs'), plugin('first_one'));
    const refusal = async (env: Record<string, string>) => {
      const { child, output } = run({ BACKEND_SERVERS: '127.0.0.1:5001', HEALTH_CHECKS: 'off', PORT: '0', METRICS_PORT: '0', ...env }, dir);
      const [code] = await once(child, 'exit');
      const { stderr } = output();
      expect(stderr).not.toMatch(/\n\s+at /);
      return { code, stderr };
    };
    expect(await refusal({ ALGORITHM_MODULES: './absent.mjs' })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('ALGORITHM_MODULES="./absent.mjs" is not valid: cannot be loaded'),
    });
    expect(await refusal({ ALGORITHM_MODULES: './first.mjs,./empty.mjs' })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('ALGORITHM_MODULES="./empty.mjs" is not valid: exports no algorithm'),
    });
    expect(await refusal({ ALGORITHM_MODULES: './clash.mjs' })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('name "round_robin" is a built-in algorithm\'s'),
    });
    const unknownDefault = await refusal({ ALGORITHM_MODULES: './first.mjs', DEFAULT_ALGORITHM: 'second_one' });
    expect(unknownDefault.code).toBe(2);
    expect(unknownDefault.stderr).toContain('DEFAULT_ALGORITHM="second_one" is not valid: one of round_robin,');
    expect(unknownDefault.stderr).toContain(', first_one\n');
  });

  it('exits 1 naming the variable of a port that is taken and what to do, without a stack trace', async () => {
    const holder = createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const taken = (holder.address() as AddressInfo).port;
    try {
      const env = {
        BACKEND_SERVERS: '127.0.0.1:5001',
        HOST: '127.0.0.1',
        METRICS_HOST: '127.0.0.1',
        PORT: '0',
        METRICS_PORT: String(taken),
        HEALTH_CHECKS: 'off',
      };
      const { child, output } = run({ ...env, WORKERS: '1' });
      const [code] = await once(child, 'exit');
      expect(code).toBe(1);
      const line = JSON.parse(
        output()
          .stdout.split('\n')
          .find((l) => l.includes('could not start'))!,
      ) as Record<string, unknown>;
      expect(line).toMatchObject({ variable: 'METRICS_PORT', code: 'EADDRINUSE' });
      expect(line.err).toBe(
        `cannot listen on 127.0.0.1:${taken} (METRICS_PORT=${taken}, METRICS_HOST=127.0.0.1): the port is already in use; stop what holds it or set METRICS_PORT to another port (EADDRINUSE)`,
      );
      expect(output().stderr).not.toMatch(/\n\s+at /);
    } finally {
      holder.close();
    }
  });

  it('on SIGTERM finishes an in-flight slow request, then exits 0', async () => {
    backends = [await startTestBackend('slow', 700)];
    const { child, output } = run({
      BACKEND_SERVERS: `127.0.0.1:${backends[0]!.port}`,
      HOST: '127.0.0.1',
      METRICS_HOST: '127.0.0.1',
      PORT: '0',
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
    });
    await waitFor(() => output().stdout.includes('balancer listening'), 10_000, 'the balancer to listen');
    const port = JSON.parse(
      output()
        .stdout.split('\n')
        .find((line) => line.includes('balancer listening'))!,
    ).port as number;
    const inFlight = fetch(`http://127.0.0.1:${port}/`);
    await waitFor(() => backends[0]!.hits === 1, 5000, 'the request to reach the backend');
    child.kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { server_id: string }).server_id).toBe('slow');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(output().stdout).toContain('drained, exiting');
  });

  it('on SIGTERM while it is still starting (admin up, workers not yet), finishes the start, drains, and exits 0', async () => {
    backends = [await startTestBackend('early', 0)];
    const metricsPort = await freePort();
    const { child, output } = run({
      BACKEND_SERVERS: `127.0.0.1:${backends[0]!.port}`,
      HOST: '127.0.0.1',
      METRICS_HOST: '127.0.0.1',
      PORT: '0',
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: 'info',
      WORKERS: '2',
    });
    // The admin port answers before the worker threads start: that is the window.
    await waitFor(async () => (await fetch(`http://127.0.0.1:${metricsPort}/healthz`).catch(() => undefined))?.ok === true, 10_000, 'the admin port');
    child.kill('SIGTERM');
    const [code, signal] = await once(child, 'exit');
    expect({ code, signal, drained: output().stdout.includes('drained, exiting') }).toEqual({ code: 0, signal: null, drained: true });
  });
});
