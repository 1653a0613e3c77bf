import { type DiscoverySource, StaticSource } from '@lbpoc/registry';
import { DockerSource } from '@lbpoc/registry/docker';
import type { Logger } from 'pino';
import type { DiscoveryConfig } from '../config/discovery-config.js';

/**
 * The source `DISCOVERY` names, with its events in the log: a skipped container (bad
 * label, ambiguous network) is a warning naming the container, the label and the value;
 * losing the Docker engine is a warning, getting it back is info, and each failed
 * reconnection attempt is logged at debug (the outage itself was already reported).
 */
export function createDiscoverySource(discovery: DiscoveryConfig, log: Logger): DiscoverySource {
  if (discovery.kind === 'static') return new StaticSource(discovery.backends);
  const source = new DockerSource(discovery.docker);
  const mode = source.options.mode;
  source.addEventListener('warning', ({ detail }) => {
    log.warn({ container: detail.container, label: detail.label, value: detail.value ?? null }, detail.message);
  });
  source.addEventListener('state', ({ detail }) => {
    if (detail.state === 'connected') log.info({ docker: detail.endpoint, mode }, 'docker discovery connected');
    else
      log.warn(
        { docker: detail.endpoint, mode, err: detail.error?.message, retry_in_ms: detail.retryInMs },
        'docker discovery lost the engine: serving the last known backends, reconnecting',
      );
  });
  source.addEventListener('error', ({ detail }) => {
    log.debug({ err: detail.error.message }, 'docker discovery: reconnection attempt failed');
  });
  return source;
}
