// `@lbpoc/registry/docker`: Docker and Swarm discovery, the one part of the package that
// needs dockerode (an optional peer dependency). The main entry never reaches this file.

export { DockerUnavailableError, InvalidDockerSourceOptionError } from './sources/docker/docker-errors.js';
export { DOCKER_LABELS } from './sources/docker/docker-labels.js';
export { DOCKER_NAME_RULE, isDockerName } from './sources/docker/docker-name.js';
export { DockerSource } from './sources/docker/docker-source.js';
export type { DockerSourceEventMap, DockerStateDetail, DockerWarningDetail } from './sources/docker/docker-source-events.js';
export { DEFAULT_SWARM_POLL_INTERVAL_MS, type DockerSourceOptions, type ResolvedDockerSourceOptions } from './sources/docker/docker-source-options.js';
export type { DockerConnectionOptions } from './sources/docker/engine/docker-api.js';
