/**
 * A throwaway project outside the workspace with one of our packages installed from the
 * tarball `pnpm pack` makes: the artifact as a user receives it. Shared by the consumer
 * tests of the published packages.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
// Consumers are Node programs: they get Node's types, from the workspace's @types/node.
const nodeTypesRoot = dirname(dirname(require.resolve('@types/node/package.json')));

export interface ConsumerProject {
  readonly dir: string;
  /** `npm install`s more packages into the project (an optional peer dependency, say), from npm's cache, else the registry. */
  install(specs: readonly string[]): void;
  /** Runs a program in the project; returns stdout, throws with stderr on a non-zero exit. */
  run(file: string, args: readonly string[], env?: Record<string, string>): string;
  /** Writes a file into the project. */
  write(name: string, content: string): void;
  /** Every path the installed package ships, relative to its folder. */
  shippedFiles(): string[];
  /** Type-checks `source` as an ESM or CJS TypeScript consumer (strict, nodenext); throws on a type error. */
  typecheck(flavour: 'esm' | 'cjs', source: string): void;
  remove(): void;
}

export interface InstallOptions {
  /**
   * Folders of workspace packages the package depends on (the simulator's
   * @lbpoc/algorithms): packed and installed with it, since they are not on the npm registry
   * until released.
   */
  readonly workspaceDependencies?: readonly string[];
}

export function installPackedPackage(packageDir: string, packageName: string, options: InstallOptions = {}): ConsumerProject {
  const dir = mkdtempSync(join(tmpdir(), 'lbpoc-consumer-'));
  // Without NODE_PATH: the package managers' bin shims (vitest's, under pnpm) point it at the
  // workspace's hoisted node_modules, where require() would find packages the consumer
  // never installed.
  const { NODE_PATH: _workspaceModules, ...environment } = process.env;
  const run = (file: string, args: readonly string[], cwd = dir, env: Record<string, string> = {}) =>
    execFileSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...environment, ...env } });
  const pack = (folder: string): string => {
    const before = new Set(readdirSync(dir));
    run('pnpm', ['pack', '--pack-destination', dir], folder);
    return readdirSync(dir).find((file) => file.endsWith('.tgz') && !before.has(file))!;
  };
  const tarballs = [...(options.workspaceDependencies ?? []).map(pack), pack(packageDir)];
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  // npm, not pnpm: a plain consumer outside the workspace. Runtime dependencies (the
  // metrics' prom-client) come from npm's cache, else the registry; optional peer
  // dependencies (the registry's dockerode) are not installed, as for a user who does not
  // ask for them. Install scripts are skipped as in the workspace (allowBuilds): they only
  // build optional native add-ons.
  const install = (specs: readonly string[]) => run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', ...specs]);
  install(tarballs.map((tarball) => `./${tarball}`));

  return {
    dir,
    install,
    run: (file, args, env) => run(file, args, dir, env),
    write: (name, content) => writeFileSync(join(dir, name), content),
    shippedFiles: () => readdirSync(join(dir, 'node_modules', packageName), { recursive: true }) as string[],
    typecheck(flavour, source) {
      const project = join(dir, flavour);
      mkdirSync(project, { recursive: true });
      writeFileSync(join(project, 'package.json'), JSON.stringify({ type: flavour === 'esm' ? 'module' : 'commonjs' }));
      writeFileSync(join(project, 'consumer.ts'), source);
      writeFileSync(
        join(project, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', noEmit: true, types: ['node'], typeRoots: [nodeTypesRoot] },
          files: ['consumer.ts'],
        }),
      );
      run(process.execPath, [tsc, '-p', project]);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** What a published package may ship: its build, README, LICENSE and package.json. */
export const SHIPPABLE = /^(dist|dist\/.*|README\.md|LICENSE|package\.json)$/;
