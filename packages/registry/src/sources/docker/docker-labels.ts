import { MAX_WEIGHT } from '../../shared/backend-address.js';
import { DOCKER_NAME_RULE, isDockerName } from './docker-name.js';

/**
 * The Docker labels discovery reads, in the style of Traefik's provider: one prefix, an
 * opt-in flag, and the few facts a balancer cannot guess. Compose files, `docker run -l`,
 * Swarm service labels and the Prometheus docker_sd config all use these names, so they
 * are a public contract: add, never rename.
 */
export const DOCKER_LABELS = {
  /** `true` opts the container (or Swarm service) in; anything without it is ignored. */
  enable: 'lbpoc.enable',
  /** Backend port inside the container, 1..65535. */
  port: 'lbpoc.port',
  /** Relative weight 0..1000, default 1. */
  weight: 'lbpoc.weight',
  /** Network whose address to use, for containers on several networks. */
  network: 'lbpoc.network',
  /** Pool name; default: the Compose service, else the Swarm service, else the container name. */
  pool: 'lbpoc.pool',
  /** Path for active health checks, e.g. `/health`. */
  healthPath: 'lbpoc.health.path',
  /** Port Prometheus scrapes (docker_sd); validated here, not used by the registry. */
  metricsPort: 'lbpoc.metrics.port',
} as const;

/** Labels Docker itself sets, from which a container's default pool is taken. */
export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';
export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const SWARM_SERVICE_LABEL = 'com.docker.swarm.service.name';
export const STACK_NAMESPACE_LABEL = 'com.docker.stack.namespace';

/** A label whose value discovery cannot use: the container is skipped and this is reported. */
export interface LabelProblem {
  readonly label: string;
  readonly value: string;
  /** What would have been accepted, in words. */
  readonly allowed: string;
}

/** The `lbpoc.*` labels of one container or service, parsed and checked. */
export interface BackendLabels {
  readonly port: number | undefined;
  readonly weight: number;
  readonly network: string | undefined;
  readonly healthPath: string | undefined;
  readonly metricsPort: number | undefined;
}

type Labels = Readonly<Record<string, string>>;

const NAME_ALLOWED = `a name of ${DOCKER_NAME_RULE}`;
const PATH = /^\/[\x21-\x7e]*$/;

/**
 * Reads `lbpoc.enable`: `enabled`, `disabled` (absent or false: ignore the container
 * silently) or the problem with its value. Case-insensitive, as `docker-compose` users
 * write `True` as often as `true`.
 */
export function readEnableLabel(labels: Labels): 'enabled' | 'disabled' | LabelProblem {
  const value = labels[DOCKER_LABELS.enable];
  if (value === undefined) return 'disabled';
  const normalized = value.trim().toLowerCase();
  if (normalized === 'true') return 'enabled';
  if (normalized === 'false') return 'disabled';
  return { label: DOCKER_LABELS.enable, value, allowed: 'true or false' };
}

/** Reads `lbpoc.pool`: its name, `undefined` when absent, or the problem with its value. */
export function readPoolLabel(labels: Labels): string | undefined | LabelProblem {
  const value = labels[DOCKER_LABELS.pool];
  if (value === undefined) return undefined;
  return isDockerName(value) ? value : { label: DOCKER_LABELS.pool, value, allowed: NAME_ALLOWED };
}

/**
 * Reads the `lbpoc.*` labels other than `enable` and `pool` (those decide whether the
 * container concerns this source at all, so they are read first). Returns all the problems at once, so one redeploy
 * fixes them all.
 */
export function readBackendLabels(labels: Labels): { labels: BackendLabels; problems: readonly LabelProblem[] } {
  const problems: LabelProblem[] = [];
  const read = <T>(label: string, parse: (value: string) => T | undefined, allowed: string): T | undefined => {
    const value = labels[label];
    if (value === undefined) return undefined;
    const parsed = parse(value.trim());
    if (parsed === undefined) problems.push({ label, value, allowed });
    return parsed;
  };
  const integer = (min: number, max: number) => (value: string) => {
    const parsed = /^\d{1,7}$/.test(value) ? Number(value) : Number.NaN;
    return parsed >= min && parsed <= max ? parsed : undefined;
  };
  const result: BackendLabels = {
    port: read(DOCKER_LABELS.port, integer(1, 65_535), 'an integer from 1 to 65535'),
    weight: read(DOCKER_LABELS.weight, integer(0, MAX_WEIGHT), `an integer from 0 to ${MAX_WEIGHT} (0 = drained; default 1)`) ?? 1,
    network: read(DOCKER_LABELS.network, (value) => (isDockerName(value) ? value : undefined), `a Docker network name (${NAME_ALLOWED})`),
    healthPath: read(DOCKER_LABELS.healthPath, (value) => (PATH.test(value) ? value : undefined), 'an absolute URL path such as /health'),
    metricsPort: read(DOCKER_LABELS.metricsPort, integer(1, 65_535), 'an integer from 1 to 65535'),
  };
  return { labels: result, problems };
}

/**
 * The message a person reads for a label problem: who (`container "web-1"`, `service
 * "web"`), label, value, what is allowed.
 */
export function labelProblemMessage(subject: string, problem: LabelProblem): string {
  return `${subject}: label ${problem.label}=${JSON.stringify(problem.value)} is invalid; expected ${problem.allowed}. Skipped until it is fixed.`;
}
