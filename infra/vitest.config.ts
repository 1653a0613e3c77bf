import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One file at a time: the Locust rate checks and the live Prometheus run each start a
    // balancer, backends and real tools on a 2-core machine; run side by side they would
    // measure each other.
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
