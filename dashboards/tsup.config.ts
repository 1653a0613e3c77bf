import { defineConfig } from 'tsup';

// Only the generator is built: the dashboards are data, committed as json/*.json.
export default defineConfig({
  entry: { generate: 'src/generate.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node22',
  clean: true,
  dts: false,
});
