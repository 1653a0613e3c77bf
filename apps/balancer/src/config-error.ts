// ConfigError is @lbpoc/service-kit's, shared with the backend. This file stays only for the
// modules that still import it from here (src/workers/worker-count.test.ts).
export { ConfigError, type EnvProblem } from '@lbpoc/service-kit';
