import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One private Docker engine for the whole run (started here, images built into it once),
    // shared by the files one at a time: the compose file needs it with live-restore, the
    // swarm file without (Docker refuses swarm mode with live-restore).
    globalSetup: ['src/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
