import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test-support/free-port.js';
import { send } from './http-client.js';

/*
 * These tests run the built artifact, dist/main.js, as the Docker image will: a real
 * process, real signals, real sockets on 127.0.0.1.
 */
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`pnpm --filter @lbpoc/backend build\` first`);
});

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(env: Record<string, string>): { child: ChildProcessWithoutNullStreams; exit: Promise<Exit>; output: () => string } {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', ...env },
    stdio: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => setImmediate(() => resolve({ code, signal, stdout, stderr }))));
  return { child, exit, output: () => stdout };
}

/** Waits for the `listening` log line and returns the ports it names. */
async function listening(output: () => string): Promise<{ port: number; metrics_port: number }> {
  for (let i = 0; i < 200; i++) {
    const line = output()
      .split('\n')
      .find((l) => l.includes('"msg":"listening"'));
    if (line !== undefined) return JSON.parse(line) as { port: number; metrics_port: number };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the backend did not start; its output was:\n${output()}`);
}

describe('dist/main.js', () => {
  it('exits 2 on a bad SIMULATED_DELAY, naming it, without a stack trace', async () => {
    const { exit } = run({ SIMULATED_DELAY: 'sometimes', PORT: '0', METRICS_PORT: '0' });
    const { code, stderr, stdout } = await exit;
    expect(code).toBe(2);
    expect(stderr).toContain('lbpoc-backend: invalid configuration\nSIMULATED_DELAY="sometimes" is not valid');
    expect(stderr).toContain('"20-80"');
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stdout).toBe('');
  });

  it('exits non-zero naming METRICS_PORT when that port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const { code, stderr } = await run({ PORT: '0', METRICS_PORT: String(taken) }).exit;
      expect(code).toBe(1);
      expect(stderr).toContain(`METRICS_PORT=${taken}`);
      expect(stderr).toContain('EADDRINUSE');
      expect(stderr).not.toMatch(/^\s+at /m);
    } finally {
      blocker.close();
    }
  });

  it('warns that SHUTDOWN_TIMEOUT is now SHUTDOWN_TIMEOUT_MS, and uses it', async () => {
    const { child, exit, output } = run({ PORT: '0', METRICS_PORT: '0', SHUTDOWN_TIMEOUT: '1234' });
    await listening(output);
    child.kill('SIGTERM');
    const result = await exit;
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      'lbpoc-backend: warning: SHUTDOWN_TIMEOUT is deprecated and will be ignored from the next release: rename it SHUTDOWN_TIMEOUT_MS (same value)\n',
    );
    expect(result.stdout).toContain('"timeout_ms":1234');
  });

  it('on SIGTERM finishes the request in flight with 200, then exits 0', async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const { child, exit, output } = run({
      SERVER_ID: 'drain-test',
      SIMULATED_DELAY: '500',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
    });
    const ready = await listening(output);
    expect(ready).toMatchObject({ port, metrics_port: metricsPort });

    const slow = send(`http://127.0.0.1:${port}/`);
    // Signal only once the backend itself reports the request in flight (its own metric).
    const inFlight = `lbpoc_backend_requests_in_flight{server_id="drain-test"} 1`;
    for (let i = 0; i < 40; i++) {
      if ((await send(`http://127.0.0.1:${metricsPort}/metrics`)).text.includes(inFlight)) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill('SIGTERM');

    const reply = await slow;
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ server_id: 'drain-test', delay_ms: 500 });
    const result = await exit;
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(result.stdout).toContain('"msg":"draining"');
    expect(result.stdout).toContain('"in_flight":1');
    expect(result.stdout).toContain('"msg":"drained, exiting"');
    expect(result.stderr).toBe('');
  });
});
