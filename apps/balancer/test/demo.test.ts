import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DEMO = fileURLToPath(new URL('../../../scripts/demo.mjs', import.meta.url));

/** The README's main command, run for a bounded time on free ports with its own small load. */
describe('pnpm demo', () => {
  it('starts three backends and the balancer, shows live status, and stops cleanly', async () => {
    // Port 0: the demo takes free ports for the balancer, its admin port and the backends.
    const child = spawn(process.execPath, [DEMO, '--load', '30', '--for', '4', '--port', '0', '--metrics-port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const [code] = await once(child, 'exit');
    expect(code, output).toBe(0);
    expect(output).toMatch(/^balancer {2}http:\/\/127\.0\.0\.1:\d+\/ /m);
    expect(output).toMatch(/^status {4}http:\/\/127\.0\.0\.1:\d+\/ /m);
    expect(output).toMatch(/^backends {2}fast :\d+ weight 3 delay 5 ms; medium :\d+ weight 2 delay 10-30 ms; slow :\d+ weight 1 delay exp:80 ms$/m);
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
