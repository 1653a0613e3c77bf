import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/cli-args.js';
import { runCli } from '../src/run-cli.js';
import { DEFAULT_REQUESTS, SCENARIO_NAMES } from '../src/scenarios.js';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

describe('CLI arguments', () => {
  it('defaults to every scenario, seed 1 and the default request count', () => {
    expect(parseCliArgs([])).toEqual({ help: false, scenarios: SCENARIO_NAMES, seed: 1, requests: DEFAULT_REQUESTS, algorithmModules: [] });
  });

  it('takes --algorithm-module more than once, in order', () => {
    expect(parseCliArgs(['homogeneous', '--algorithm-module', './a.mjs', '--algorithm-module=/opt/b.mjs']).algorithmModules).toEqual(['./a.mjs', '/opt/b.mjs']);
  });

  it('takes scenarios in order (once each), --seed and --requests', () => {
    expect(parseCliArgs(['bursty', 'homogeneous', 'bursty', '--seed', '7', '--requests=5_000'])).toEqual({
      help: false,
      scenarios: ['bursty', 'homogeneous'],
      seed: 7,
      requests: 5_000,
      algorithmModules: [],
    });
  });

  it.each([
    [['fast-servers'], /unknown scenario "fast-servers"; valid scenarios: homogeneous, one-slow-server, heterogeneous-weights, bursty/],
    [['--seed', 'abc'], /--seed must be an integer from 0 to 4294967295, got "abc"/],
    [['--seed=-1'], /--seed must be an integer from 0 to 4294967295, got "-1"/],
    [['--seed', '2.5'], /--seed must be an integer from 0 to 4294967295, got "2.5"/],
    [['--seed', '4294967296'], /--seed must be an integer from 0 to 4294967295, got "4294967296"/],
    [['--requests', '10'], /--requests must be an integer from 100 to 10000000, got "10"/],
    [['--requests', '1e5'], /--requests must be an integer from 100 to 10000000, got "1e5"/],
    [['--fast'], /Unknown option '--fast'[\s\S]*valid options: --seed N, --requests N, --algorithm-module PATH, --help/],
    [['--seed'], /--seed[\s\S]*argument missing|--seed[\s\S]*valid options/],
    [['--algorithm-module'], /--algorithm-module[\s\S]*argument missing|--algorithm-module[\s\S]*valid options/],
    [['--algorithm-module', ''], /--algorithm-module needs a module: a \.\/path, an absolute path, a file: URL or a package name/],
    [['--algorithm-module', './a.mjs', '--algorithm-module', './a.mjs'], /--algorithm-module "\.\/a\.mjs" is given twice/],
  ])('rejects %j with exit code 2 and a message naming the value and what is allowed', async (argv, message) => {
    const { code, stdout, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toContain('Usage: lbpoc-sim');
  });

  it('prints help with --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Scenarios: homogeneous, one-slow-server, heterogeneous-weights, bursty');
    expect(stdout).toContain('--algorithm-module PATH');
  });

  it('prints a table for the named scenario', async () => {
    const { code, stdout } = await run(['homogeneous', '--requests', '2000']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^== homogeneous: /);
    expect(stdout).not.toContain('== bursty');
    for (const policy of ['round_robin', 'peak_ewma', 'adaptive', 'jsq_oracle (reference)', 'modulo_hash']) expect(stdout).toContain(policy);
  });
});

const built = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

describe.runIf(existsSync(built))('built CLI (dist/cli.js)', () => {
  it('exits 2 on a bad argument, with the message and no stack trace', () => {
    const result = spawnSync(process.execPath, [built, 'slowest', '--seed', '1'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^lbpoc-sim: unknown scenario "slowest"; valid scenarios: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });

  it('runs a scenario and exits 0', () => {
    const result = spawnSync(process.execPath, [built, 'one-slow-server', '--requests', '1000'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('== one-slow-server');
  });
});
