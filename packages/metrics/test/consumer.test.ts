/**
 * The published artifact, tested as a user receives it: `pnpm pack`, install the tarball
 * into a throwaway project outside the workspace (prom-client, its one dependency, comes
 * from npm), then run the README's examples as written, `import` (ESM), `require` (CJS)
 * and type-check a TypeScript consumer under both module systems. Needs `pnpm run build`
 * first (turbo's test task does it).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumerProject, installPackedPackage, SHIPPABLE } from '../../../test-support/consumer-project.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
let project: ConsumerProject;

/** The ```ts blocks marked `<!-- example -->` in the README, in order. */
function readmeExamples(): string[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  return [...readme.matchAll(/<!-- example -->\s*```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

beforeAll(() => {
  project = installPackedPackage(packageDir, '@lbpoc/metrics');
}, 120_000);

afterAll(() => project?.remove());

describe('@lbpoc/metrics as installed from its tarball', () => {
  it('ships only dist, README, LICENSE and package.json', () => {
    expect(project.shippedFiles().filter((f) => !SHIPPABLE.test(f))).toEqual([]);
  });

  it('imports as ESM', () => {
    project.write(
      'esm.mjs',
      `import { BALANCER_METRICS, createBalancerMetrics, METRIC_NAMES, RETRY_REASONS, statusClass } from '@lbpoc/metrics';
       const metrics = createBalancerMetrics({ version: '1.2.3', defaultMetrics: false });
       metrics.requestsTotal.inc({ algorithm: 'p2c', backend: 'a:1', status_class: statusClass(503) });
       const text = await metrics.registry.metrics();
       console.log(METRIC_NAMES.includes('lbpoc_requests_total'), text.includes('lbpoc_requests_total{algorithm="p2c",backend="a:1",status_class="5xx"} 1'));
       console.log(RETRY_REASONS.join(','), BALANCER_METRICS.retriesTotal.values.reason === RETRY_REASONS);`,
    );
    expect(project.run(process.execPath, ['esm.mjs']).trim()).toBe('true true\nconnect_failure,reset true');
  });

  it('requires as CJS, with its typed error', () => {
    project.write(
      'cjs.cjs',
      `const { createBackendMetrics, serveMetrics, MetricsServerError } = require('@lbpoc/metrics');
       const { registry } = createBackendMetrics({ defaultMetrics: false });
       serveMetrics(registry, { port: 0, host: '127.0.0.1' }).then((first) =>
         serveMetrics(registry, { port: first.port, host: '127.0.0.1' })
           .catch((e) => console.log(e instanceof MetricsServerError, e.code))
           .finally(() => first.close()));`,
    );
    expect(project.run(process.execPath, ['cjs.cjs']).trim()).toBe('true EADDRINUSE');
  });

  it('runs the README examples as written', () => {
    const [balancer, backend] = readmeExamples();
    expect(backend, 'README.md has two ```ts blocks after <!-- example -->').toBeDefined();
    project.write('readme-balancer.mts', balancer!);
    expect(project.run(process.execPath, ['readme-balancer.mts']).trim().split('\n')).toEqual([
      expect.stringMatching(/^scrape http:\/\/127\.0\.0\.1:\d+\/metrics$/),
      'lbpoc_requests_total{algorithm="round_robin",backend="backend1:5000",status_class="2xx"} 1',
    ]);
    project.write('readme-backend.mts', backend!);
    expect(project.run(process.execPath, ['readme-backend.mts'])).toContain('lbpoc_backend_requests_total{server_id="1",route="/cpu",status_class="2xx"} 1');
  });

  it.each(['esm', 'cjs'] as const)(
    'type-checks a TypeScript consumer (%s)',
    (flavour) => {
      const source = `import { createBalancerMetrics, statusClass, HEALTH_CHECK_RESULTS, type BalancerMetrics, type Counter, type HealthCheckResult, type LabelledCounter, type Registry, type StatusClass } from '@lbpoc/metrics';
      const metrics: BalancerMetrics = createBalancerMetrics({ defaultMetrics: false, buckets: [0.1, 1] });
      const registry: Registry = metrics.registry;
      const requests: LabelledCounter<{ algorithm: string; backend: string; status_class: StatusClass }> = metrics.requestsTotal;
      const status: StatusClass = statusClass(404);
      requests.inc({ algorithm: 'random', backend: 'a:1', status_class: status });
      // @ts-expect-error not a label of lbpoc_requests_total
      requests.inc({ algorithm: 'random', path: '/users/42' });
      const result: HealthCheckResult = HEALTH_CHECK_RESULTS[0];
      metrics.healthChecksTotal.inc({ backend: 'a:1', result });
      // @ts-expect-error not a value of the closed set
      metrics.healthChecksTotal.inc({ backend: 'a:1', result: 'success' });
      const restarts: Counter = metrics.workerRestartsTotal;
      restarts.inc();
      // @ts-expect-error not an option
      createBalancerMetrics({ prefix: 'x_' });
      export { registry };`;
      expect(() => project.typecheck(flavour, source)).not.toThrow();
    },
    60_000,
  );

  it('type-checks the README examples', () => {
    for (const example of readmeExamples()) expect(() => project.typecheck('esm', `${example}\nexport {};\n`)).not.toThrow();
  }, 60_000);
});
