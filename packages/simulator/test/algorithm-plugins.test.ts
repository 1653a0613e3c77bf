import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type AlgorithmPlugin, loadAlgorithmPlugins } from '@lbpoc/algorithms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../src/render-report.js';
import { runCli } from '../src/run-cli.js';
import { runScenario } from '../src/run-scenario.js';
import { createScenario } from '../src/scenarios.js';
import { simulate } from '../src/simulate.js';

// Real module files in a temp directory, loaded the way the CLI loads them: no mocks.
const dir = mkdtempSync(join(tmpdir(), 'lbpoc-sim-plugins-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A plugin module: fewest requests in flight (ties at random), optionally declaring `loadAware`. */
function fewestModule(file: string, name: string, extra = ''): string {
  writeFileSync(
    join(dir, file),
    `const name = ${JSON.stringify(name)};
export default {
  name,
  description: 'fewest requests in flight',
  ${extra}
  create: ({ random }) => ({
    name,
    lastUsed: name,
    pick(servers) {
      let best;
      for (const server of servers) {
        if (!((server.weight ?? 1) > 0)) continue;
        const inFlight = server.inFlight ?? 0;
        if (best === undefined || inFlight < (best.inFlight ?? 0) || (inFlight === (best.inFlight ?? 0) && random() < 0.5)) best = server;
      }
      return best;
    },
    observe() {},
  }),
};
`,
  );
  return `./${file}`;
}

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    argv,
    { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } },
    { cwd: dir },
  );
  return { code, stdout, stderr };
}

let fewest: AlgorithmPlugin;
let probing: AlgorithmPlugin;

beforeAll(async () => {
  fewestModule('fewest.mjs', 'fewest_in_flight');
  fewestModule('probing.mjs', 'probing_fewest', 'loadAware: true,');
  const plugins = await loadAlgorithmPlugins(['./fewest.mjs', './probing.mjs'], { base: pathToFileURL(`${dir}/`) });
  fewest = plugins[0]!;
  probing = plugins[1]!;
});

describe('algorithm plugins in a scenario', () => {
  it('runs beside the built-in algorithms, before the oracle, and the report names and describes it', () => {
    const report = runScenario(createScenario('one-slow-server', { requests: 5_000 }), { seed: 1, plugins: [fewest] });
    const names = report.results.map((result) => result.policy);
    expect(names.slice(-2)).toEqual(['fewest_in_flight', 'jsq_oracle']);
    expect(names).toContain('round_robin');
    const p99 = (name: string) => report.results.find((result) => result.policy === name)!.latency.p99;
    // Round robin gives the 10x slower server a fifth of the traffic; fewest in flight does not.
    expect(p99('fewest_in_flight')).toBeLessThan(p99('round_robin') / 3);
    expect(report.results.find((result) => result.policy === 'fewest_in_flight')!.decisions).toEqual({ fewest_in_flight: 5_000 });
    const table = renderReport(report);
    expect(table).toMatch(/^fewest_in_flight\s+\d/m);
    expect(table).toContain('algorithm plugins: fewest_in_flight (fewest requests in flight)');
    // Same seed, same numbers, plugin included.
    expect(runScenario(createScenario('one-slow-server', { requests: 5_000 }), { seed: 1, plugins: [fewest] }).results).toEqual(report.results);
  });

  it('comes last when `policies` leaves out the oracle, and is what simulate runs given the plugin', () => {
    const scenario = createScenario('homogeneous', { requests: 2_000 });
    const report = runScenario(scenario, { policies: ['round_robin', 'p2c'], plugins: [fewest] });
    expect(report.results.map((result) => result.policy)).toEqual(['round_robin', 'p2c', 'fewest_in_flight']);
    expect(report.results[2]).toEqual(simulate(scenario, fewest));
    expect(runScenario(scenario, { policies: ['jsq_oracle', 'p2c'], plugins: [fewest] }).results.map((result) => result.policy)).toEqual([
      'fewest_in_flight',
      'jsq_oracle',
      'p2c',
    ]);
  });

  it('gives the plugin the run’s random source, clock and the scenario’s tuning, as a built-in gets them', () => {
    const seen: Record<string, unknown>[] = [];
    const spy: AlgorithmPlugin = {
      name: 'spy',
      create: (options) => {
        seen.push({ ...options });
        return fewest.create(options);
      },
    };
    simulate({ ...createScenario('homogeneous', { requests: 500 }), balancers: 2 }, spy, { tuning: { decayTime: 5_000 } });
    expect(seen).toHaveLength(2); // one instance per balancer
    expect(seen[0]).toMatchObject({ decayTime: 5_000 });
    expect(typeof seen[0]!.random).toBe('function');
    expect(typeof seen[0]!.now).toBe('function');
  });

  it('probes for a plugin only when it declares loadAware, as the balancer does', () => {
    const report = runScenario(createScenario('three-equal', { requests: 2_000 }), { policies: [], plugins: [fewest, probing] });
    expect(report.results.map((result) => result.probes > 0)).toEqual([false, true]);
  });

  it('refuses plugins whose names clash, naming them', () => {
    const named = (name: string): AlgorithmPlugin => ({ ...fewest, name });
    const scenario = createScenario('homogeneous', { requests: 500 });
    expect(() => runScenario(scenario, { plugins: [named('jsq_oracle')] })).toThrow('plugin name "jsq_oracle" is a built-in policy\'s');
    expect(() => runScenario(scenario, { plugins: [named('p2c')] })).toThrow('plugin name "p2c" is a built-in policy\'s');
    expect(() => runScenario(scenario, { plugins: [fewest, fewest] })).toThrow('plugin name "fewest_in_flight" is given twice');
    expect(() => simulate(scenario, named('round_robin'))).toThrow(RangeError);
  });
});

describe('CLI --algorithm-module', () => {
  it('loads modules from the working directory and adds a row for each to every scenario', async () => {
    const { code, stdout, stderr } = await run([
      'homogeneous',
      'one-slow-server',
      '--requests',
      '1000',
      '--algorithm-module',
      './fewest.mjs',
      '--algorithm-module',
      join(dir, 'probing.mjs'),
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const tables = stdout.split(/^(?===)/m);
    expect(tables).toHaveLength(2);
    for (const table of tables) {
      expect(table).toMatch(/^fewest_in_flight\s+\d/m);
      expect(table).toMatch(/^probing_fewest\s+\d/m);
      expect(table).toContain('jsq_oracle (reference)');
    }
  });

  it.each([
    ['./absent.mjs', undefined, /^lbpoc-sim: algorithm module "\.\/absent\.mjs": cannot be loaded: /],
    ['./nothing.mjs', 'export const x = 1;\n', /^lbpoc-sim: algorithm module "\.\/nothing\.mjs": exports no algorithm/],
    ['./oracle.mjs', 'oracle', /^lbpoc-sim: algorithm module "\.\/oracle\.mjs": name "jsq_oracle" is the simulator's reference policy's; choose another/],
  ])('refuses %s with exit code 2, the loader’s message and the usage', async (module, source, message) => {
    if (source === 'oracle') fewestModule('oracle.mjs', 'jsq_oracle');
    else if (source !== undefined) writeFileSync(join(dir, module), source);
    const { code, stdout, stderr } = await run(['homogeneous', '--requests', '1000', '--algorithm-module', module]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toContain('Usage: lbpoc-sim');
  });
});

const built = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

describe.runIf(existsSync(built))('built CLI (dist/cli.js) with --algorithm-module', () => {
  // Without the INIT_CWD that `pnpm test` puts in this process's environment: the CLI takes that as where the command was typed.
  const { INIT_CWD: _, ...env } = process.env;

  it('runs the plugin from a path relative to its working directory', () => {
    const result = spawnSync(process.execPath, [built, 'homogeneous', '--requests', '1000', '--algorithm-module', './fewest.mjs'], {
      cwd: dir,
      env,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^fewest_in_flight\s+\d/m);
  });

  it('takes relative paths from INIT_CWD when a package manager ran it (pnpm sim runs it from the repository root)', () => {
    const result = spawnSync(process.execPath, [built, 'homogeneous', '--requests', '1000', '--algorithm-module', './fewest.mjs'], {
      cwd: tmpdir(),
      env: { ...env, INIT_CWD: dir },
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^fewest_in_flight\s+\d/m);
  });

  it('exits 2 on a module that cannot be used, with no stack trace', () => {
    const result = spawnSync(process.execPath, [built, 'homogeneous', '--algorithm-module', './absent.mjs'], { cwd: dir, env, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^lbpoc-sim: algorithm module "\.\/absent\.mjs": cannot be loaded/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
