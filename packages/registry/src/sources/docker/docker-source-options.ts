import { DAY_MS } from '@lbpoc/service-kit';
import { InvalidDockerSourceOptionError } from './docker-errors.js';
import { DOCKER_NAME_RULE, isDockerName } from './docker-name.js';
import type { DockerConnectionOptions } from './engine/docker-api.js';

/** Options of `new DockerSource(options)`; every one is optional. */
export interface DockerSourceOptions {
  /**
   * `containers` (default): containers on this engine, from its event stream.
   * `swarm`: tasks of Swarm services, polled from a manager (Docker has no task events).
   */
  readonly mode?: 'containers' | 'swarm';
  /** Only backends of this pool (`lbpoc.pool`, or its default); all enabled ones when absent. */
  readonly pool?: string;
  /** Default network to take addresses from when a backend has no `lbpoc.network` label. */
  readonly network?: string;
  /**
   * Networks of the balancer's own container: a backend on several networks is dialled on
   * the one it shares with the balancer. Absent: detected when the balancer runs in a
   * container (its own container is inspected); `[]` turns detection off.
   */
  readonly selfNetworks?: readonly string[];
  /** Swarm mode: time between two polls of services and tasks, ms. Default 2000. */
  readonly pollIntervalMs?: number;
  /** How to reach the engine (dockerode options). Default: `DOCKER_HOST`, else /var/run/docker.sock. */
  readonly docker?: DockerConnectionOptions;
  /** Deadline of each Docker API call, ms. Default 5000. */
  readonly requestTimeoutMs?: number;
  /** Containers mode: ping the daemon this often to notice one that hangs with the stream open, ms. Default 5000. */
  readonly heartbeatIntervalMs?: number;
  /**
   * Containers mode: re-list and re-inspect every enabled container this often, ms, in
   * case an event was lost on the way (a proxy in front of the socket that drops the
   * stream silently). Default 60000; 0 turns it off.
   */
  readonly resyncIntervalMs?: number;
  /** First delay before reconnecting after the daemon went away, ms; doubles per failed attempt. Default 500. */
  readonly reconnectInitialDelayMs?: number;
  /** Cap on that delay, ms. Default 30000. */
  readonly reconnectMaxDelayMs?: number;
}

/** The options with every default filled in. */
export interface ResolvedDockerSourceOptions {
  readonly mode: 'containers' | 'swarm';
  readonly pool: string | undefined;
  readonly network: string | undefined;
  readonly selfNetworks: readonly string[] | undefined;
  readonly pollIntervalMs: number;
  readonly docker: DockerConnectionOptions | undefined;
  readonly requestTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly resyncIntervalMs: number;
  readonly reconnectInitialDelayMs: number;
  readonly reconnectMaxDelayMs: number;
}

export const DEFAULT_SWARM_POLL_INTERVAL_MS = 2000;

const KNOWN = new Set([
  'mode',
  'pool',
  'network',
  'selfNetworks',
  'pollIntervalMs',
  'docker',
  'requestTimeoutMs',
  'heartbeatIntervalMs',
  'resyncIntervalMs',
  'reconnectInitialDelayMs',
  'reconnectMaxDelayMs',
]);

/** @throws InvalidDockerSourceOptionError naming the option, the value and what is allowed */
export function resolveDockerSourceOptions(options: DockerSourceOptions): ResolvedDockerSourceOptions {
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key))
      throw new InvalidDockerSourceOptionError(key, (options as Record<string, unknown>)[key], `one of the known options (${[...KNOWN].join(', ')})`);
  }
  const integer = (key: keyof DockerSourceOptions, fallback: number, min: number): number => {
    const value = options[key];
    if (value === undefined) return fallback;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= DAY_MS) return value;
    throw new InvalidDockerSourceOptionError(key, value, `an integer from ${min} to ${DAY_MS}`);
  };
  const name = (key: 'pool' | 'network'): string | undefined => {
    const value = options[key];
    if (value === undefined || (typeof value === 'string' && isDockerName(value))) return value;
    throw new InvalidDockerSourceOptionError(key, value, `a name of ${DOCKER_NAME_RULE}`);
  };
  const { mode = 'containers', selfNetworks, docker } = options;
  if (mode !== 'containers' && mode !== 'swarm') throw new InvalidDockerSourceOptionError('mode', mode, '"containers" or "swarm"');
  if (selfNetworks !== undefined && (!Array.isArray(selfNetworks) || !selfNetworks.every((n) => typeof n === 'string' && n !== ''))) {
    throw new InvalidDockerSourceOptionError('selfNetworks', selfNetworks, 'an array of network names');
  }
  if (docker !== undefined && (typeof docker !== 'object' || docker === null))
    throw new InvalidDockerSourceOptionError('docker', docker, 'an object of dockerode options');
  const reconnectInitialDelayMs = integer('reconnectInitialDelayMs', 500, 1);
  const reconnectMaxDelayMs = integer('reconnectMaxDelayMs', 30_000, 1);
  if (reconnectMaxDelayMs < reconnectInitialDelayMs) {
    throw new InvalidDockerSourceOptionError('reconnectMaxDelayMs', reconnectMaxDelayMs, `at least reconnectInitialDelayMs (${reconnectInitialDelayMs})`);
  }
  return {
    mode,
    pool: name('pool'),
    network: name('network'),
    selfNetworks: selfNetworks === undefined ? undefined : Object.freeze([...selfNetworks]),
    pollIntervalMs: integer('pollIntervalMs', DEFAULT_SWARM_POLL_INTERVAL_MS, 100),
    docker,
    requestTimeoutMs: integer('requestTimeoutMs', 5000, 1),
    heartbeatIntervalMs: integer('heartbeatIntervalMs', 5000, 100),
    resyncIntervalMs: integer('resyncIntervalMs', 60_000, 0),
    reconnectInitialDelayMs,
    reconnectMaxDelayMs,
  };
}
