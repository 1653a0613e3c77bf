/**
 * The published artifact, tested as a user receives it: `pnpm pack`, install the tarball
 * into a throwaway project outside the workspace, then `import` (ESM), `require` (CJS),
 * type-check a TypeScript consumer under both module systems, and check that a closed
 * pool lets the process exit. Needs `pnpm run build` first (turbo's test task does it).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumerProject, SHIPPABLE, installPackedPackage } from '../../../test-support/consumer-project.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const execFileAsync = promisify(execFile);
let project: ConsumerProject;
// BACKEND_SERVERS must not leak in from the environment: the examples parse their own.
const run = (file: string, args: string[]) => project.run(file, args, { BACKEND_SERVERS: '' });

beforeAll(() => {
  project = installPackedPackage(packageDir, '@lbpoc/registry');
}, 120_000);

afterAll(() => project?.remove());

describe('@lbpoc/registry as installed from its tarball', () => {
  it('ships only dist, README, LICENSE and package.json', () => {
    expect(project.shippedFiles().filter((f) => !SHIPPABLE.test(f))).toEqual([]);
  });

  it('imports as ESM', () => {
    project.write(
      'esm.mjs',
      `import { parseBackendServers, StaticSource, BackendPool } from '@lbpoc/registry';
       const pool = new BackendPool(new StaticSource(parseBackendServers('a:1,b:2@3')), { healthCheck: false });
       await pool.start();
       console.log(pool.eligible().map((b) => b.id + '=' + b.weight).join(' '));
       await pool.close();`,
    );
    expect(run(process.execPath, ['esm.mjs']).trim()).toBe('a:1=1 b:2=3');
  });

  it('requires as CJS', () => {
    project.write(
      'cjs.cjs',
      `const { parseBackendServers, InvalidBackendServersError } = require('@lbpoc/registry');
       console.log(parseBackendServers('[::1]:5002@2')[0].id);
       try { parseBackendServers('nope'); } catch (e) { console.log(e instanceof InvalidBackendServersError, e.code); }`,
    );
    expect(run(process.execPath, ['cjs.cjs']).trim().split('\n')).toEqual(['[::1]:5002', 'true ERR_INVALID_BACKEND_SERVERS']);
  });

  it('requires DockerSource as CJS, with its typed errors', () => {
    project.write(
      'docker-cjs.cjs',
      `const { DockerSource, DockerUnavailableError, InvalidDockerSourceOptionError } = require('@lbpoc/registry');
       try { new DockerSource({ mode: 'k8s' }); } catch (e) { console.log(e instanceof InvalidDockerSourceOptionError, e.option); }
       new DockerSource({ docker: { socketPath: '/nonexistent.sock' }, requestTimeoutMs: 500 }).start()
         .catch((e) => console.log(e instanceof DockerUnavailableError, e.endpoint));`,
    );
    expect(run(process.execPath, ['docker-cjs.cjs']).trim().split('\n')).toEqual(['true mode', 'true unix:///nonexistent.sock']);
  });

  it('lets the process exit after a DockerSource connected to the real engine is closed', async () => {
    copyFileSync(join(packageDir, 'test/fixtures/docker-close-exits.mjs'), join(project.dir, 'docker-close-exits.mjs'));
    const { stdout } = await execFileAsync(process.execPath, ['docker-close-exits.mjs'], { cwd: project.dir, timeout: 15_000 });
    expect(JSON.parse(stdout)).toEqual({ connected: true, enableLabel: 'lbpoc.enable' });
  }, 20_000);

  it.each(['esm', 'cjs'] as const)('type-checks a TypeScript consumer (%s)', (flavour) => {
    const source = `import { BackendPool, DockerSource, StaticSource, type Backend, type DockerWarningDetail, type HealthChangeDetail } from '@lbpoc/registry';
      const pool = new BackendPool(new StaticSource([{ id: 'a:1', host: 'a', port: 1, weight: 1 }]), { slowStartMs: 0 });
      pool.addEventListener('health', (event) => {
        const detail: HealthChangeDetail = event.detail;
        const healthy: boolean = detail.healthy;
        return healthy;
      });
      const first: Backend | undefined = pool.eligible()[0];
      if (first) pool.release(first, { latencyMs: 1, outcome: 'success' });
      // @ts-expect-error not an outcome
      if (first) pool.reportResult(first, { outcome: 'teapot' });
      // @ts-expect-error no such option
      new BackendPool(new StaticSource([]), { healthcheck: false });
      const docker = new DockerSource({ mode: 'swarm', pool: 'web', docker: { socketPath: '/var/run/docker.sock' } });
      docker.addEventListener('warning', (event) => {
        const detail: DockerWarningDetail = event.detail;
        return detail.label;
      });
      docker.addEventListener('state', (event) => event.detail.state === 'connected');
      const dockerPool = new BackendPool(docker);
      // @ts-expect-error not a mode
      new DockerSource({ mode: 'kubernetes' });
      export { pool, dockerPool };`;
    expect(() => project.typecheck(flavour, source)).not.toThrow();
  }, 60_000);

  it('lets the process exit after close(): no connection or check is left', async () => {
    copyFileSync(join(packageDir, 'test/fixtures/close-exits.mjs'), join(project.dir, 'close-exits.mjs'));
    const { stdout } = await execFileAsync(process.execPath, ['close-exits.mjs'], { cwd: project.dir, timeout: 15_000 });
    const report = JSON.parse(stdout);
    expect(report.openWhileRunning).toBeGreaterThan(0); // keep-alive connections of the checker
    expect(report).toEqual({
      openWhileRunning: report.openWhileRunning,
      openAfterClose: 0,
      requestsAfterClose: 0,
      connectionsAfterClose: 0,
      healthy: [false, true, true],
      ejected: true,
    });
  }, 20_000);
});

describe('README.md', () => {
  it('runs the example as written', async () => {
    // In the package directory: '@lbpoc/registry' resolves to this package (self-reference
    // through its exports map) and '@lbpoc/algorithms' to the workspace devDependency.
    const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
    const example = /<!-- example -->\s*```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example, 'README.md has a ```ts block after <!-- example -->').toBeDefined();
    mkdirSync(join(packageDir, '.tmp'), { recursive: true });
    writeFileSync(join(packageDir, '.tmp/readme-example.mts'), example!);
    const { stdout } = await execFileAsync(process.execPath, ['.tmp/readme-example.mts'], {
      cwd: packageDir,
      timeout: 15_000,
      env: { ...process.env, BACKEND_SERVERS: '' },
    });
    expect(stdout.match(/hello from backend \d/g)).toEqual([1, 2, 1, 2, 1, 2].map((n) => `hello from backend ${n}`));
  }, 20_000);
});
