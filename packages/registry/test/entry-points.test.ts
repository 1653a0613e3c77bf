/**
 * The main entry stays free of dockerode, an optional peer dependency that a user of
 * static discovery does not install: no module reachable from src/index.ts imports it,
 * not even `import type` (the emitted .d.ts would then need @types/dockerode). Docker
 * discovery is reachable only through `@lbpoc/registry/docker` (src/docker.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const srcDir = fileURLToPath(new URL('../src/', import.meta.url));
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

/** Every source file reachable from `entry` by relative imports, and every package it imports. */
function reachable(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      if (specifier!.startsWith('.')) visit(resolve(dirname(file), specifier!.replace(/\.js$/, '.ts')));
      else packages.add(specifier!);
    }
  };
  visit(join(srcDir, entry));
  return { files, packages };
}

describe('entry points', () => {
  it('the main entry (src/index.ts) reaches neither dockerode nor any Docker module', () => {
    const { files, packages } = reachable('index.ts');
    expect([...packages].filter((name) => name.includes('dockerode'))).toEqual([]);
    const names = [...files].map((file) => file.slice(srcDir.length));
    expect(names.filter((name) => /docker|swarm|container/.test(name))).toEqual([]);
  });

  it('the docker entry (src/docker.ts) is where dockerode comes in', () => {
    expect(reachable('docker.ts').packages).toContain('dockerode');
  });
});
