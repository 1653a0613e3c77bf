/**
 * The published artifact, tested as a user receives it: `pnpm pack`, install the tarball
 * into a throwaway project outside the workspace, then `import` (ESM), `require` (CJS),
 * type-check a TypeScript consumer under both module systems, and check that a closed
 * pool lets the process exit. Needs `pnpm run build` first (turbo's test task does it).
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
// The consumer is a Node program: it gets Node's types, from the workspace's @types/node.
const nodeTypesRoot = dirname(dirname(require.resolve('@types/node/package.json')));
const execFileAsync = promisify(execFile);
let project: string;

function run(file: string, args: string[], cwd: string): string {
  return execFileSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BACKEND_SERVERS: '' } });
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'lbpoc-registry-consumer-'));
  run('pnpm', ['pack', '--pack-destination', project], packageDir);
  const tarball = readdirSync(project).find((file) => file.endsWith('.tgz'))!;
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  // npm, not pnpm: a plain consumer outside the workspace. No runtime dependencies, so no registry needed.
  run('npm', ['install', '--no-audit', '--no-fund', '--offline', `./${tarball}`], project);
}, 120_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('@lbpoc/registry as installed from its tarball', () => {
  it('ships only dist, README, LICENSE and package.json', () => {
    const files = readdirSync(join(project, 'node_modules/@lbpoc/registry'), { recursive: true }) as string[];
    expect(files.filter((f) => !/^(dist|dist\/.*|README\.md|LICENSE|package\.json)$/.test(f))).toEqual([]);
  });

  it('imports as ESM', () => {
    writeFileSync(
      join(project, 'esm.mjs'),
      `import { parseBackendServers, StaticSource, BackendPool } from '@lbpoc/registry';
       const pool = new BackendPool(new StaticSource(parseBackendServers('a:1,b:2@3')), { healthCheck: false });
       await pool.start();
       console.log(pool.eligible().map((b) => b.id + '=' + b.weight).join(' '));
       await pool.close();`,
    );
    expect(run(process.execPath, ['esm.mjs'], project).trim()).toBe('a:1=1 b:2=3');
  });

  it('requires as CJS', () => {
    writeFileSync(
      join(project, 'cjs.cjs'),
      `const { parseBackendServers, InvalidBackendServersError } = require('@lbpoc/registry');
       console.log(parseBackendServers('[::1]:5002@2')[0].id);
       try { parseBackendServers('nope'); } catch (e) { console.log(e instanceof InvalidBackendServersError, e.code); }`,
    );
    expect(run(process.execPath, ['cjs.cjs'], project).trim().split('\n')).toEqual(['[::1]:5002', 'true ERR_INVALID_BACKEND_SERVERS']);
  });

  it.each(['esm', 'cjs'])('type-checks a TypeScript consumer (%s)', (flavour) => {
    const dir = join(project, flavour);
    const source = `import { BackendPool, StaticSource, type Backend, type HealthChangeDetail } from '@lbpoc/registry';
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
      export { pool };`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: flavour === 'esm' ? 'module' : 'commonjs' }));
    writeFileSync(join(dir, 'consumer.ts'), source);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', noEmit: true, types: ['node'], typeRoots: [nodeTypesRoot] },
        files: ['consumer.ts'],
      }),
    );
    expect(() => run(process.execPath, [tsc, '-p', dir], project)).not.toThrow();
  }, 60_000);

  it('lets the process exit after close(): no connection or check is left', async () => {
    copyFileSync(join(packageDir, 'test/fixtures/close-exits.mjs'), join(project, 'close-exits.mjs'));
    const { stdout } = await execFileAsync(process.execPath, ['close-exits.mjs'], { cwd: project, timeout: 15_000 });
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
