/**
 * The published artifact, tested as a user receives it: `pnpm pack`, install the tarball
 * into a throwaway project outside the workspace, then `import` (ESM), `require` (CJS),
 * type-check a TypeScript consumer under both module systems, and check that a closed
 * pool lets the process exit. First as a user of static discovery, with dockerode (an
 * optional peer dependency) absent; then with dockerode and @types/dockerode installed,
 * `@lbpoc/registry/docker`. Needs `pnpm run build` first (turbo's test task does it).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumerProject, installPackedPackage, SHIPPABLE } from '../../../../test-support/consumer-project.js';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const execFileAsync = promisify(execFile);
let project: ConsumerProject;
// BACKEND_SERVERS must not leak in from the environment: the examples parse their own.
const run = (file: string, args: string[]) => project.run(file, args, { BACKEND_SERVERS: '' });

beforeAll(() => {
  project = installPackedPackage(packageDir, '@lbpoc/registry');
}, 120_000);

afterAll(() => project?.remove());

describe('@lbpoc/registry as installed from its tarball, without dockerode', () => {
  it('ships only dist, README, LICENSE and package.json', () => {
    expect(project.shippedFiles().filter((f) => !SHIPPABLE.test(f))).toEqual([]);
  });

  it('has not installed dockerode or its types: they are optional peer dependencies', () => {
    for (const name of ['dockerode', '@types/dockerode/package.json']) {
      expect(() => run(process.execPath, ['-e', `require.resolve(${JSON.stringify(name)})`]), name).toThrow(/Cannot find module/);
    }
  });

  it('ships a main entry whose JavaScript and types never name dockerode', () => {
    const dist = join(project.dir, 'node_modules/@lbpoc/registry/dist');
    // The entry files and every chunk they import, transitively.
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(join(dist, file), 'utf8');
      expect(text, file).not.toMatch(/dockerode/);
      // A .d.ts names its chunks by their JavaScript file ('./chunk.js' is ./chunk.d.ts).
      const declaration = (chunk: string) => (file.includes('.d.') ? chunk.replace(/\.(c?)js$/, '.d.$1ts') : chunk);
      for (const [, chunk] of text.matchAll(/(?:from |require\()['"]\.\/([^'"]+)['"]/g)) visit(declaration(chunk!));
    };
    for (const entry of ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts']) visit(entry);
    expect(seen.size).toBeGreaterThan(4); // the chunks were followed
  });

  it('imports as ESM and runs a pool over a StaticSource', () => {
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

  it('requires as CJS and runs a pool over a StaticSource', () => {
    project.write(
      'cjs.cjs',
      `const { parseBackendServers, InvalidBackendServersError, BackendPool, StaticSource } = require('@lbpoc/registry');
       console.log(parseBackendServers('[::1]:5002@2')[0].id);
       try { parseBackendServers('nope'); } catch (e) { console.log(e instanceof InvalidBackendServersError, e.code); }
       const pool = new BackendPool(new StaticSource(parseBackendServers('a:1@2')), { healthCheck: false });
       pool.start().then(() => { console.log(pool.eligible()[0].id, pool.eligible()[0].weight); return pool.close(); });`,
    );
    expect(run(process.execPath, ['cjs.cjs']).trim().split('\n')).toEqual(['[::1]:5002', 'true ERR_INVALID_BACKEND_SERVERS', 'a:1 2']);
  });

  it('loads @lbpoc/registry/docker, and DockerSource.start() says to install dockerode', () => {
    project.write(
      'docker-missing.mjs',
      `import { DockerSource, DockerUnavailableError } from '@lbpoc/registry/docker';
       const source = new DockerSource({ docker: { socketPath: '/nonexistent.sock' } });
       await source.start().catch((e) => console.log(e instanceof DockerUnavailableError, e.message));
       await source.close();`,
    );
    expect(run(process.execPath, ['docker-missing.mjs']).trim()).toMatch(
      /^true Docker engine at unix:\/\/\/nonexistent\.sock: the dockerode package is not installed\. .*npm install dockerode/,
    );
  });

  it.each(['esm', 'cjs'] as const)(
    'type-checks a TypeScript consumer without @types/dockerode (%s)',
    (flavour) => {
      const source = `import { BackendPool, StaticSource, type Backend, type DiscoverySource, type HealthChangeDetail } from '@lbpoc/registry';
      const source: DiscoverySource = new StaticSource([{ id: 'a:1', host: 'a', port: 1, weight: 1 }]);
      const pool = new BackendPool(source, { slowStartMs: 0 });
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
      export { pool };`;
      expect(() => project.typecheck(flavour, source)).not.toThrow();
    },
    60_000,
  );

  it('lets the process exit after close(): no connection or check is left', async () => {
    copyFileSync(join(packageDir, 'test/integration/fixtures/close-exits.mjs'), join(project.dir, 'close-exits.mjs'));
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

describe('@lbpoc/registry/docker as installed from its tarball, with dockerode', () => {
  beforeAll(() => {
    // What the README tells a user of Docker discovery to add, in the ranges of the peer dependencies.
    const { peerDependencies } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
    project.install(Object.entries(peerDependencies).map(([name, range]) => `${name}@${range}`));
  }, 120_000);

  it("imports as ESM, sharing the main entry's classes", () => {
    project.write(
      'docker-esm.mjs',
      `import { PoolClosedError } from '@lbpoc/registry';
       import { DockerSource, DOCKER_LABELS } from '@lbpoc/registry/docker';
       const source = new DockerSource({ docker: { socketPath: '/nonexistent.sock' } });
       await source.close();
       await source.start().catch((e) => console.log(DOCKER_LABELS.enable, e instanceof PoolClosedError));`,
    );
    expect(run(process.execPath, ['docker-esm.mjs']).trim()).toBe('lbpoc.enable true');
  });

  it('requires DockerSource as CJS, with its typed errors', () => {
    project.write(
      'docker-cjs.cjs',
      `const { PoolClosedError } = require('@lbpoc/registry');
       const { DockerSource, DockerUnavailableError, InvalidDockerSourceOptionError } = require('@lbpoc/registry/docker');
       try { new DockerSource({ mode: 'k8s' }); } catch (e) { console.log(e instanceof InvalidDockerSourceOptionError, e.option); }
       const closed = new DockerSource();
       closed.close().then(() => closed.start()).catch((e) => console.log('closed', e instanceof PoolClosedError));
       new DockerSource({ docker: { socketPath: '/nonexistent.sock' }, requestTimeoutMs: 500 }).start()
         .catch((e) => console.log(e instanceof DockerUnavailableError, e.endpoint));`,
    );
    expect(run(process.execPath, ['docker-cjs.cjs']).trim().split('\n').sort()).toEqual(['closed true', 'true mode', 'true unix:///nonexistent.sock']);
  });

  it('lets the process exit after a DockerSource connected to the real engine is closed', async () => {
    copyFileSync(join(packageDir, 'test/integration/fixtures/docker-close-exits.mjs'), join(project.dir, 'docker-close-exits.mjs'));
    const { stdout } = await execFileAsync(process.execPath, ['docker-close-exits.mjs'], { cwd: project.dir, timeout: 15_000 });
    expect(JSON.parse(stdout)).toEqual({ connected: true, enableLabel: 'lbpoc.enable' });
  }, 20_000);

  it.each(['esm', 'cjs'] as const)(
    'type-checks a TypeScript consumer (%s)',
    (flavour) => {
      const source = `import { BackendPool } from '@lbpoc/registry';
      import { DockerSource, type DockerSourceOptions, type DockerWarningDetail } from '@lbpoc/registry/docker';
      const options: DockerSourceOptions = { mode: 'swarm', pool: 'web', docker: { socketPath: '/var/run/docker.sock' } };
      const docker = new DockerSource(options);
      docker.addEventListener('warning', (event) => {
        const detail: DockerWarningDetail = event.detail;
        return detail.label;
      });
      docker.addEventListener('state', (event) => event.detail.state === 'connected');
      const dockerPool = new BackendPool(docker);
      // @ts-expect-error not a mode
      new DockerSource({ mode: 'kubernetes' });
      // @ts-expect-error a dockerode option of the wrong type: @types/dockerode is in use
      new DockerSource({ docker: { socketPath: 42 } });
      export { dockerPool };`;
      expect(() => project.typecheck(flavour, source)).not.toThrow();
    },
    60_000,
  );
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
