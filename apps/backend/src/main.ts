import { hostname } from 'node:os';
import { configOrExit, ListenError, shutdownOnSignals } from '@lbpoc/service-kit';
import { createBackendApp } from './app.js';
import { loadConfig } from './config.js';
import { formatDelay } from './delay.js';
import { jsonLog } from './log.js';

/*
 * The backend's entry point: read the environment, start, and drain on SIGTERM/SIGINT.
 * Configuration and bind errors are a person's to fix, so they print one line per problem
 * on stderr, without a stack trace: a bad variable exits 2, a port that cannot be bound 1.
 */

const SERVICE = 'lbpoc-backend';
const log = jsonLog();
const config = configOrExit(SERVICE, (warn) => loadConfig(process.env, { hostname: hostname() }, warn));
const app = createBackendApp({ config });
app.listen().then(
  ({ port, metricsPort }) => {
    log('listening', {
      server_id: config.serverId,
      host: config.host,
      port,
      metrics_port: metricsPort,
      simulated_delay: formatDelay(config.delay),
      error_rate: config.errorRate,
    });
    shutdownOnSignals({
      drain: () => app.shutdown(),
      report: (step) => {
        if (step.step === 'draining') log('draining', { signal: step.signal, in_flight: app.inFlight, timeout_ms: config.shutdownTimeoutMs });
        else if (step.step === 'drained') log('drained, exiting');
        else if (step.step === 'cut') log('shutdown deadline passed, requests cut off', { cut_requests: step.cutRequests });
        else if (step.step === 'failed') log('shutdown failed', { error: String(step.error) });
        else log('second signal, exiting without waiting', { signal: step.signal, in_flight: app.inFlight });
      },
    });
  },
  (error: unknown) => {
    if (!(error instanceof ListenError)) throw error;
    process.stderr.write(`${SERVICE}: ${error.message}\n`);
    process.exitCode = 1;
  },
);
