import type { Options } from 'tsup';

/** A publishable library: ESM + CJS + .d.ts/.d.cts from src/index.ts. */
export const libraryConfig: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
};

/**
 * A service app as one self-contained file, dist/main.js, carrying every dependency: the
 * Docker image needs only node and dist/, and nothing is installed at image build time.
 */
export const serviceConfig: Options = {
  entry: { main: 'src/main.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node22',
  noExternal: [/.*/],
  // ws loads these optional native speed-ups inside try/catch; without them it uses JS.
  external: ['bufferutil', 'utf-8-validate'],
  splitting: false,
  sourcemap: true,
  clean: true,
  dts: false,
  // Bundled CommonJS dependencies call require(); an ES module has none, so make one.
  banner: {
    js: "import { createRequire as __lbpocCreateRequire } from 'node:module'; const require = __lbpocCreateRequire(import.meta.url);",
  },
};
