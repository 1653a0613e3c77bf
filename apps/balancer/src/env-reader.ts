// The environment reader is @lbpoc/service-kit's, shared with the backend. This file stays
// only for the modules that still import it from here (src/workers/worker-count.ts).
export { EnvReader } from '@lbpoc/service-kit';
