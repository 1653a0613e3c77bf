import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AlgorithmPluginError } from './algorithm-plugin-error.js';
import { loadAlgorithmPlugins } from './load-algorithm-plugins.js';

const dir = mkdtempSync(join(tmpdir(), 'lbpoc-plugins-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real module file on disk whose plugin always picks the last server. */
function moduleNamed(file: string, name: string, exportAs = 'export default'): string {
  writeFileSync(
    join(dir, file),
    `${exportAs} {
      name: ${JSON.stringify(name)},
      create: () => ({ name: ${JSON.stringify(name)}, lastUsed: ${JSON.stringify(name)}, pick: (s) => s[s.length - 1], observe() {} }),
    };\n`,
  );
  return file;
}

const base = pathToFileURL(`${dir}/`);

describe('loadAlgorithmPlugins', () => {
  it('imports modules by relative path, absolute path and file: URL, in order', async () => {
    moduleNamed('last-a.mjs', 'last_a');
    moduleNamed('last-b.mjs', 'last_b', 'export const algorithm =');
    moduleNamed('last-c.mjs', 'last_c');
    const plugins = await loadAlgorithmPlugins(['./last-a.mjs', join(dir, 'last-b.mjs'), pathToFileURL(join(dir, 'last-c.mjs')).href], { base });
    expect(plugins.map((plugin) => plugin.name)).toEqual(['last_a', 'last_b', 'last_c']);
    const instance = plugins[0]!.create({});
    expect(instance.pick([{ id: 'a:1' }, { id: 'b:1' }])?.id).toBe('b:1');
  });

  it('hands package names to the caller’s importer, so they resolve from the caller', async () => {
    const asked: string[] = [];
    const plugins = await loadAlgorithmPlugins(['@acme/lb-last'], {
      base,
      importModule: async (specifier) => {
        asked.push(specifier);
        return import(pathToFileURL(join(dir, moduleNamed('acme.mjs', 'acme_last'))).href);
      },
    });
    expect(asked).toEqual(['@acme/lb-last']);
    expect(plugins.map((plugin) => plugin.name)).toEqual(['acme_last']);
  });

  it('names the module that cannot be loaded, and the one whose name is taken', async () => {
    await expect(loadAlgorithmPlugins(['./absent.mjs'], { base })).rejects.toThrow(/^algorithm module "\.\/absent\.mjs": cannot be loaded: .*absent\.mjs/);
    writeFileSync(join(dir, 'broken.mjs'), 'export default {;\n');
    await expect(loadAlgorithmPlugins(['./broken.mjs'], { base })).rejects.toThrow(AlgorithmPluginError);
    moduleNamed('again.mjs', 'last_a');
    const clash = loadAlgorithmPlugins(['./last-a.mjs', './again.mjs'], { base });
    await expect(clash).rejects.toThrow('algorithm module "./again.mjs": name "last_a" is already taken by another algorithm module');
  });
});
