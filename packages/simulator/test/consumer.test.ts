/**
 * The published artifact, tested as a user receives it: `pnpm pack` this package and
 * @lbpoc/algorithms (its one dependency, not on the npm registry before a release),
 * install both into a throwaway project outside the workspace, then run the README's
 * example as written, `import` (ESM), `require` (CJS), run the `lbpoc-sim` bin and
 * type-check a TypeScript consumer under both module systems. Needs `pnpm run build` of
 * both packages first (turbo's test task does it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumerProject, installPackedPackage, SHIPPABLE } from '../../../test-support/consumer-project.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const algorithmsDir = fileURLToPath(new URL('../../algorithms', import.meta.url));
let project: ConsumerProject;

/** The public API's runtime names (types aside): the README's "API" section lists them. */
const EXPORTED_VALUES = [
  'ORACLE_NAME',
  'POLICY_NAMES',
  'SCENARIO_NAMES',
  'capacityOf',
  'clientAddresses',
  'createScenario',
  'generateWorkload',
  'ipHashMapper',
  'moduloHashMapper',
  'offeredLoadOf',
  'remapFraction',
  'remapOnResize',
  'renderReport',
  'renderReports',
  'runScenario',
  'simulate',
];

beforeAll(() => {
  project = installPackedPackage(packageDir, '@lbpoc/simulator', { workspaceDependencies: [algorithmsDir] });
}, 120_000);

afterAll(() => project?.remove());

describe('@lbpoc/simulator as installed from its tarball', () => {
  it('ships only dist, README, LICENSE and package.json', () => {
    expect(project.shippedFiles().filter((f) => !SHIPPABLE.test(f))).toEqual([]);
  });

  it('runs the README example as written', () => {
    const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
    const example = /<!-- example -->\s*```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example, 'README.md has a ```js block after <!-- example -->').toBeDefined();
    project.write('readme.mjs', example!);
    const lines = project.run(process.execPath, ['readme.mjs']).trim().split('\n');
    expect(lines[0]).toMatch(/^== one-slow-server: /);
    expect(lines.some((line) => line.startsWith('jsq_oracle (reference)'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^\d+\.\d \[ '0\.\d{3}', '0\.\d{3}' \]$/);
  });

  it('imports as ESM, exporting the documented API and no internals', () => {
    project.write(
      'esm.mjs',
      `import * as simulator from '@lbpoc/simulator';
       const result = simulator.simulate(
         { servers: [{ id: 'a' }, { id: 'b', speed: 2 }], service: { kind: 'exponential', mean: 1 },
           arrivals: { kind: 'poisson', rate: 1 }, clients: { count: 10, distribution: 'uniform' }, requests: 1000 },
         'p2c', { seed: 3 });
       console.log(JSON.stringify(Object.keys(simulator).sort()));
       console.log(result.policy, result.handled.reduce((a, b) => a + b, 0));`,
    );
    const [names, run] = project.run(process.execPath, ['esm.mjs']).trim().split('\n');
    expect(JSON.parse(names!)).toEqual(EXPORTED_VALUES);
    expect(run).toBe('p2c 1000');
  });

  it('requires as CJS', () => {
    project.write(
      'cjs.cjs',
      `const { createScenario, runScenario, renderReport, POLICY_NAMES } = require('@lbpoc/simulator');
       const report = runScenario(createScenario('homogeneous', { requests: 2000 }), { seed: 5, policies: ['round_robin', 'ip_hash'] });
       console.log(POLICY_NAMES.at(-1), report.results.length, report.remap.map((row) => row.scheme).join(','));
       console.log(renderReport(report).split('\\n')[0]);`,
    );
    expect(project.run(process.execPath, ['cjs.cjs']).trim().split('\n')).toEqual([
      'jsq_oracle 2 ip_hash,modulo_hash',
      '== homogeneous: 5 equal servers, Poisson arrivals at 70% load',
    ]);
  });

  it('installs the lbpoc-sim bin: a table for a scenario, exit 2 with the usage for a bad argument', () => {
    const bin = join(project.dir, 'node_modules/.bin/lbpoc-sim');
    const output = project.run(bin, ['bursty', '--requests', '1000', '--seed', '9']);
    expect(output).toMatch(/^== bursty: /);
    expect(output).toContain('peak_ewma');
    expect(() => project.run(bin, ['--requests', '5'])).toThrow(/--requests[\s\S]*Usage: lbpoc-sim/);
  });

  it.each(['esm', 'cjs'] as const)(
    'type-checks a TypeScript consumer (%s)',
    (flavour) => {
      const source = `import { simulate, generateWorkload, type Policy, type PolicyContext, type ReportingModel, type SimulatedServer, type SimulationModel, type SimulationResult } from '@lbpoc/simulator';
      // @ts-expect-error an internal, not exported
      import { EventQueue } from '@lbpoc/simulator';
      const reporting: ReportingModel = { onResponse: true, probesPerRequest: 1.5, probeDelay: 2 };
      const model: SimulationModel = {
        servers: [{ id: 'a', concurrency: 2, capacityChanges: [{ at: 50, speed: 0.5 }] }, { id: 'b', speed: 0.5, outsideRate: 0.01 }],
        balancers: 3,
        reporting,
        service: { kind: 'lognormal', mean: 5, cv: 1 },
        arrivals: { kind: 'on-off', onRate: 1, offRate: 0.1, meanOn: 100, meanOff: 100 },
        clients: { count: 100, distribution: { zipf: 1 } },
        requests: 1000,
      };
      const fastest = ({ random }: PolicyContext): Policy => ({
        name: 'fastest',
        pick: (servers: readonly SimulatedServer[]) => servers.reduce<SimulatedServer | undefined>((best, s) => (!best || s.speed > best.speed || (s.speed === best.speed && random() < 0.5) ? s : best), undefined),
        observe: () => {},
      });
      const workload = generateWorkload(model, 1);
      const results: SimulationResult[] = [
        simulate(model, fastest, { workload }),
        simulate(model, 'peak_ewma', { workload, tuning: { decayTime: 500 } }),
        simulate(model, 'prequal', { workload, tuning: { prequal: { hotQuantile: 0.9 } }, timelineWindow: 100 }),
      ];
      const probesPerRequest: number = results[2]!.probesPerRequest;
      const firstWindow: readonly number[] | undefined = results[2]!.timeline?.picks[0];
      // @ts-expect-error not a policy name
      simulate(model, 'fastest_server');
      // @ts-expect-error not a service-time distribution
      const bad: SimulationModel = { ...model, service: { kind: 'uniform', mean: 1 } };
      export { results, bad, EventQueue, probesPerRequest, firstWindow };`;
      expect(() => project.typecheck(flavour, source)).not.toThrow();
    },
    60_000,
  );
});
