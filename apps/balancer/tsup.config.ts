import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * One bundled file: the container image needs only `node` and `dist/`, and nothing is
 * installed at image build time (there is no registry there).
 */
export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'node22',
  bundle: true,
  noExternal: [/.*/],
  sourcemap: true,
  clean: true,
  define: { __VERSION__: JSON.stringify(version) },
  // Bundled CommonJS dependencies (pino's) call require(); give them one in ESM.
  banner: { js: "import { createRequire as __lbpocCreateRequire } from 'node:module'; const require = __lbpocCreateRequire(import.meta.url);" },
});
