// `@lbpoc/registry/docker`: Docker and Swarm discovery, the one part of the package that
// needs dockerode (an optional peer dependency). The main entry never reaches this file.
export type { DockerConnectionOptions } from './docker-api.js';
export { DockerUnavailableError, InvalidDockerSourceOptionError } from './docker-errors.js';
export { DOCKER_LABELS } from './docker-labels.js';
export { DOCKER_NAME_RULE, isDockerName } from './docker-name.js';
export { DockerSource } from './docker-source.js';
export type { DockerSourceEventMap, DockerStateDetail, DockerWarningDetail } from './docker-source-events.js';
export { DEFAULT_SWARM_POLL_INTERVAL_MS, type DockerSourceOptions, type ResolvedDockerSourceOptions } from './docker-source-options.js';
