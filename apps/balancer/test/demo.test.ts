import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DEMO = fileURLToPath(new URL('../../../scripts/demo.mjs', import.meta.url));

/** The README's main command, run for a bounded time on spare ports with its own small load. */
describe('pnpm demo', () => {
  it('starts three backends and the balancer, shows live status, and stops cleanly', async () => {
    const child = spawn(process.execPath, [DEMO, '--load', '30', '--for', '4', '--port', '5911', '--metrics-port', '8911'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const [code] = await once(child, 'exit');
    expect(code, output).toBe(0);
    expect(output).toContain('balancer  http://127.0.0.1:5911/');
    expect(output).toContain('status    http://127.0.0.1:8911/ ');
    const statusLines = output.split('\n').filter((line) => /req\/s/.test(line));
    expect(statusLines.length).toBeGreaterThanOrEqual(2);
    expect(statusLines.at(-1)).toMatch(/fast \d+% up \| medium \d+% up \| slow \d+% up  \d+ workers?/);
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
