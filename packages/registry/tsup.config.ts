import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tsup.shared.js';

export default defineConfig({
  ...libraryConfig,
  // index: everything but Docker, free of dockerode; docker: `@lbpoc/registry/docker`.
  entry: { index: 'src/index.ts', docker: 'src/docker.ts' },
  // Shared code (BackendPool's errors, validateBackendAddresses...) goes into chunks both
  // entries import, in CJS too (tsup splits only ESM by default): one PoolClosedError
  // class, so `instanceof` holds whichever entry threw it.
  splitting: true,
});
