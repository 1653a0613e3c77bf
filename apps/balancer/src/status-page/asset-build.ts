/**
 * Build-time only (tsup and vitest configs import it; the balancer never does): bundles
 * the status page's browser code (client/) with esbuild into one script and one
 * stylesheet, uPlot included, and hands them to the balancer's bundle as the virtual
 * module `virtual:lbpoc-status-page`. The page's every byte is then inside dist/main.js:
 * the Docker image, which copies that one file, serves it with no CDN and no other file.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build, type Plugin as EsbuildPlugin } from 'esbuild';

export const STATUS_PAGE_MODULE = 'virtual:lbpoc-status-page';

export interface StatusPageAssets {
  readonly html: string;
  readonly js: string;
  readonly css: string;
  readonly icon: string;
}

/** Browsers the page's script is compiled for (esbuild lowers newer syntax). */
const TARGETS = ['chrome109', 'edge109', 'firefox115', 'safari16'];

/** Bundles `clientDir` (client/ beside this file): app.ts with its imports, style.css with its @imports. */
export async function buildStatusPageAssets(clientDir: string): Promise<StatusPageAssets> {
  const { version } = createRequire(join(clientDir, 'app.ts'))('uplot/package.json') as { version: string };
  const notice = `/*! uPlot ${version} (c) Leon Sorokin, MIT License, https://github.com/leeoniya/uPlot */`;
  const result = await build({
    entryPoints: { app: join(clientDir, 'app.ts'), style: join(clientDir, 'style.css') },
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: TARGETS,
    write: false,
    outdir: '/status-page-out',
    sourcemap: false,
    // uPlot's own header is a plain comment, which minifying drops: its MIT notice goes first.
    banner: { js: notice, css: notice },
    legalComments: 'eof',
    logLevel: 'silent',
    absWorkingDir: clientDir,
  });
  const text = (suffix: string) => {
    const file = result.outputFiles.find((output) => output.path.endsWith(suffix));
    if (file === undefined) throw new Error(`status page build: no ${suffix} in the output`);
    return file.text;
  };
  const [html, icon] = await Promise.all([readFile(join(clientDir, 'index.html'), 'utf8'), readFile(join(clientDir, 'icon.svg'), 'utf8')]);
  return { html, js: text('app.js'), css: text('style.css'), icon };
}

async function moduleSource(clientDir: string): Promise<string> {
  return `export default ${JSON.stringify(await buildStatusPageAssets(clientDir))};\n`;
}

/** For tsup (esbuild): resolves `virtual:lbpoc-status-page` to the built assets. */
export function statusPageEsbuildPlugin(clientDir: string): EsbuildPlugin {
  return {
    name: 'lbpoc-status-page',
    setup(builder) {
      builder.onResolve({ filter: /^virtual:lbpoc-status-page$/ }, () => ({ path: STATUS_PAGE_MODULE, namespace: 'lbpoc-status-page' }));
      builder.onLoad({ filter: /.*/, namespace: 'lbpoc-status-page' }, async () => ({
        contents: await moduleSource(clientDir),
        loader: 'js',
        resolveDir: clientDir,
      }));
    },
  };
}

/** For vitest (Vite): the same module, so tests serve exactly what the build embeds. */
export function statusPageVitePlugin(clientDir: string) {
  const resolved = `\0${STATUS_PAGE_MODULE}`;
  return {
    name: 'lbpoc-status-page',
    resolveId(id: string) {
      return id === STATUS_PAGE_MODULE ? resolved : undefined;
    },
    load(id: string) {
      return id === resolved ? moduleSource(clientDir) : undefined;
    },
  };
}
