import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { statusPageVitePlugin } from './src/status-page/asset-build.js';

export default defineConfig({
  // The status page's assets, built as the bundle builds them (see src/status-page/asset-build.ts).
  plugins: [statusPageVitePlugin(fileURLToPath(new URL('./src/status-page/client/', import.meta.url)))],
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
