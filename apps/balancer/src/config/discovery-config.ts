import { type BackendAddress, parseBackendServers } from '@lbpoc/registry';
import { DEFAULT_SWARM_POLL_INTERVAL_MS, DOCKER_NAME_RULE, type DockerSourceOptions, isDockerName } from '@lbpoc/registry/docker';
import type { EnvReader } from '@lbpoc/service-kit';

export const DISCOVERY_KINDS = ['static', 'docker'] as const;
export const DOCKER_MODES = ['containers', 'swarm'] as const;

/** Where the backends come from: `DISCOVERY=static` (BACKEND_SERVERS) or `docker` (labels). */
export type DiscoveryConfig =
  | { readonly kind: 'static'; readonly backends: readonly BackendAddress[] }
  | { readonly kind: 'docker'; readonly docker: DockerSourceOptions };

const NAME_ALLOWED = `a Docker name: ${DOCKER_NAME_RULE}`;

/**
 * Reads `DISCOVERY` and what it needs. `BACKEND_SERVERS` is required for static discovery
 * and refused with Docker discovery (a list that would be silently ignored is a trap).
 * The `DOCKER_*` variables are checked whenever they are set, so a typo shows at the
 * first start, not on the day discovery is switched to Docker. The engine's address is
 * `DOCKER_HOST`, read by the Docker client itself (default /var/run/docker.sock).
 */
export function readDiscoveryConfig(read: EnvReader): DiscoveryConfig {
  const kind = read.oneOf('DISCOVERY', DISCOVERY_KINDS, 'static');
  const servers = read.raw('BACKEND_SERVERS');
  let backends: readonly BackendAddress[] = [];
  if (kind === 'static') {
    if (servers === undefined) {
      read.problem('BACKEND_SERVERS', 'required with DISCOVERY=static (the default): comma-separated host:port[@weight], e.g. backend1:5000,backend2:5000@3');
    } else {
      try {
        backends = parseBackendServers(servers);
      } catch (error) {
        read.problem('BACKEND_SERVERS', (error as Error).message);
      }
    }
  } else if (servers !== undefined) {
    read.problem('BACKEND_SERVERS', 'unset with DISCOVERY=docker: the backends come from Docker labels (lbpoc.enable=true), this list would be ignored');
  }

  const name = (variable: string): string | undefined => {
    const value = read.raw(variable);
    if (value === undefined || isDockerName(value)) return value;
    read.problem(variable, NAME_ALLOWED);
    return undefined;
  };
  const mode = read.oneOf('DOCKER_MODE', DOCKER_MODES, 'containers');
  const pool = name('DOCKER_POOL');
  const network = name('DOCKER_NETWORK');
  const pollIntervalMs = read.milliseconds('DOCKER_POLL_INTERVAL_MS', DEFAULT_SWARM_POLL_INTERVAL_MS, 100);

  if (kind === 'static') return { kind, backends };
  return {
    kind,
    docker: {
      mode,
      pollIntervalMs,
      ...(pool === undefined ? {} : { pool }),
      ...(network === undefined ? {} : { network }),
    },
  };
}
