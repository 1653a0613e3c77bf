import { defineConfig } from 'vitest/config';

// Two projects, both run by `vitest run` (the package's `test` script):
// - unit: the sources' tests beside them and test/*.test.ts; no Docker engine, no build.
// - integration: test/integration/, what needs a real Docker engine (the machine's, or a
//   private dockerd, as root) or the built package (the packed-tarball consumer test).
// Run one alone with `vitest run --project unit` (or `integration`).
export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'test/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'] } },
    ],
  },
});
