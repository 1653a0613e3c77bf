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
  // Everything but compiled add-ons (*.node), which cannot be bundled: they stay require()s.
  noExternal: [/^(?!.*\.node$)/],
  // ws loads these optional native speed-ups inside try/catch; without them it uses JS. So
  // does ssh2 (through dockerode) with its crypto binding and cpu-features: absent from the
  // image, those require()s fail inside their try/catch and the JS fallbacks run.
  external: ['bufferutil', 'utf-8-validate', /\.node$/],
  splitting: false,
  sourcemap: true,
  clean: true,
  dts: false,
  // Bundled CommonJS dependencies read __dirname/__filename (ssh2, under dockerode, at load): define them.
  shims: true,
  // Bundled CommonJS dependencies call require(); an ES module has none, so make one.
  banner: {
    js: "import { createRequire as __lbpocCreateRequire } from 'node:module'; const require = __lbpocCreateRequire(import.meta.url);",
  },
};
