import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';
import { serviceConfig } from '../../tsup.shared.js';
import { statusPageEsbuildPlugin } from './src/status-page/asset-build.js';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  ...serviceConfig,
  define: { __VERSION__: JSON.stringify(version) },
  // The status page's script and stylesheet (uPlot included), built and embedded as strings:
  // dist/main.js serves the page with no other file.
  esbuildPlugins: [statusPageEsbuildPlugin(fileURLToPath(new URL('./src/status-page/client/', import.meta.url)))],
});
