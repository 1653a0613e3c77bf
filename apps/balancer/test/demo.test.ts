import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../test-support/free-port.js';

const DEMO = fileURLToPath(new URL('../../../scripts/demo.mjs', import.meta.url));

/** Whether `port` can be bound on 127.0.0.1 right now. */
async function isFree(port: number): Promise<boolean> {
  const server = createServer();
  const bound = await new Promise<boolean>((resolve) => server.once('error', () => resolve(false)).listen(port, '127.0.0.1', () => resolve(true)));
  if (bound) await new Promise((resolve) => server.close(resolve));
  return bound;
}

/**
 * Free ports for `--port` and `--metrics-port`. scripts/demo.mjs puts its three backends on
 * the next ports after each (+101, +102, +103), so those must be free as well.
 */
async function demoPorts(): Promise<{ port: number; metricsPort: number }> {
  const withBackends = (base: number) => [base, base + 101, base + 102, base + 103];
  for (let attempt = 0; attempt < 50; attempt++) {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const all = [...withBackends(port), ...withBackends(metricsPort)];
    if (all.some((p) => p > 65_535) || new Set(all).size !== all.length) continue;
    if ((await Promise.all(all.map(isFree))).every(Boolean)) return { port, metricsPort };
  }
  throw new Error('no free ports for the demo and its backends');
}

/** The README's main command, run for a bounded time on free ports with its own small load. */
describe('pnpm demo', () => {
  it('starts three backends and the balancer, shows live status, and stops cleanly', async () => {
    const { port, metricsPort } = await demoPorts();
    const child = spawn(process.execPath, [DEMO, '--load', '30', '--for', '4', '--port', String(port), '--metrics-port', String(metricsPort)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const [code] = await once(child, 'exit');
    expect(code, output).toBe(0);
    expect(output).toContain(`balancer  http://127.0.0.1:${port}/`);
    expect(output).toContain(`status    http://127.0.0.1:${metricsPort}/ `);
    const statusLines = output.split('\n').filter((line) => /req\/s/.test(line));
    expect(statusLines.length).toBeGreaterThanOrEqual(2);
    expect(statusLines.at(-1)).toMatch(/fast \d+% up \| medium \d+% up \| slow \d+% up {2}\d+ workers?/);
    expect(output).toContain('stopped.');
  });

  it('rejects a bad option with a clear message', async () => {
    const child = spawn(process.execPath, [DEMO, '--load', 'lots'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain('--load "lots" must be an integer from 0 to 1000');
  });
});
