import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const COMPARE = fileURLToPath(new URL('../compare.mjs', import.meta.url));
const LATENCY_AWARE = ['least_connections', 'p2c', 'peak_ewma', 'adaptive', 'prequal'];

async function run(args) {
  const child = spawn(process.execPath, [COMPARE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const [code] = await once(child, 'exit');
  return { code, output };
}

function table(markdown) {
  const rows = markdown.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| algorithm') && !line.startsWith('| ---'));
  return Object.fromEntries(
    rows.map((line) => {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replaceAll('*', ''));
      return [
        cells[0],
        {
          rps: Number(cells[1]),
          p50: Number(cells[2]),
          p95: Number(cells[3]),
          p99: Number(cells[4]),
          errors: Number(cells[5]),
          slowShare: Number(cells.at(-1).replace('%', '')),
        },
      ];
    }),
  );
}

/**
 * pnpm compare, shortened (1200 requests per algorithm at 150/s, ~8 s each), on its own
 * demo setup: fast, medium and one slow backend with a long tail (exp:80 ms).
 */
describe('pnpm compare', () => {
  it('puts every latency-aware algorithm ahead of round_robin on p99 when one backend is slow', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lbpoc-compare-'));
    const { code, output } = await run(['--requests', '1200', '--rate', '150', '--algorithms', ['round_robin', ...LATENCY_AWARE].join(','), '--out', out]);
    expect(code, output).toBe(0);
    const rows = table(readFileSync(join(out, 'comparison.md'), 'utf8'));
    expect(Object.keys(rows)).toEqual(['round_robin', ...LATENCY_AWARE]);
    for (const [algorithm, row] of Object.entries(rows)) {
      expect(row.errors, algorithm).toBe(0);
      // Open loop at 150/s: what was offered arrived (the tail of the last answers aside).
      expect(row.rps, algorithm).toBeGreaterThan(130);
    }
    // Round robin sends the slow backend a third of the traffic, whatever it does.
    expect(rows.round_robin.slowShare).toBeCloseTo(33.3, 0);
    for (const algorithm of LATENCY_AWARE) {
      expect(rows[algorithm].p99, `${algorithm} p99 vs round_robin p99\n${output}`).toBeLessThan(rows.round_robin.p99);
      expect(rows[algorithm].slowShare, `${algorithm} sends the slow backend less than round robin`).toBeLessThan(rows.round_robin.slowShare);
    }
    expect(readFileSync(join(out, 'comparison.svg'), 'utf8')).toContain('<title>round_robin p99');
    rmSync(out, { recursive: true, force: true });
  });

  it('compares an algorithm plugin (--algorithm-module) beside a built-in one, each balancer loading it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lbpoc-compare-'));
    const module = fileURLToPath(new URL('../../../examples/least-time/least-time.ts', import.meta.url));
    const { code, output } = await run(['--requests', '1200', '--rate', '150', '--algorithms', 'round_robin', '--algorithm-module', module, '--out', out]);
    expect(code, output).toBe(0);
    const rows = table(readFileSync(join(out, 'comparison.md'), 'utf8'));
    expect(Object.keys(rows)).toEqual(['round_robin', 'least_time']);
    expect(rows.least_time.errors).toBe(0);
    // The balancer served ?algo=least_time with the plugin: the slow backend gets less than round robin gives it.
    expect(rows.least_time.slowShare).toBeLessThan(rows.round_robin.slowShare);
    expect(rows.least_time.p99).toBeLessThan(rows.round_robin.p99);
    rmSync(out, { recursive: true, force: true });
  });

  it('rejects a module that cannot be used before starting anything, naming it', async () => {
    const { code, output } = await run(['--algorithm-module', '/nonexistent/algorithm.mjs']);
    expect(code).toBe(2);
    expect(output).toContain('algorithm module "/nonexistent/algorithm.mjs": cannot be loaded');
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('rejects a bad option naming it', async () => {
    const { code, output } = await run(['--rate', 'fast']);
    expect(code).toBe(2);
    expect(output).toContain('--rate "fast" must be an integer from 1 to 5000');
  });
});
