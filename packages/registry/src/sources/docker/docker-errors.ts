import { describeValue } from '../../shared/errors.js';

/**
 * The Docker engine could not be reached, or did not answer as a discovery source needs
 * (for `mode: 'swarm'`: this node is not a swarm manager). `DockerSource.start()` rejects
 * with it; once running, the source dispatches it in its 'error' event while it retries.
 */
export class DockerUnavailableError extends Error {
  override readonly name = 'DockerUnavailableError';
  readonly code = 'ERR_DOCKER_UNAVAILABLE';
  /** Where the source looked for the engine, e.g. `unix:///var/run/docker.sock`. */
  readonly endpoint: string;

  constructor(endpoint: string, problem: string, hint: string, options?: { cause?: unknown }) {
    super(`Docker engine at ${endpoint}: ${problem}. ${hint}`, options);
    this.endpoint = endpoint;
  }
}

/** A `DockerSource` option that cannot work; names the option, the value and what is allowed. */
export class InvalidDockerSourceOptionError extends Error {
  override readonly name = 'InvalidDockerSourceOptionError';
  readonly code = 'ERR_INVALID_DOCKER_SOURCE_OPTION';
  readonly option: string;
  readonly value: unknown;
  readonly allowed: string;

  constructor(option: string, value: unknown, allowed: string) {
    super(`DockerSource option ${option} must be ${allowed}, got ${describeValue(value)}`);
    this.option = option;
    this.value = value;
    this.allowed = allowed;
  }
}
