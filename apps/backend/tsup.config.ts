import { defineConfig } from 'tsup';

/*
 * One self-contained file: dist/main.js carries every dependency (ws, prom-client,
 * @lbpoc/metrics), so the Docker image needs only node and dist/, no node_modules.
 */
export default defineConfig({
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
});
