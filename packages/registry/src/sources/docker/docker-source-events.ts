/**
 * `detail` of a `DockerSource` 'warning': one container (or Swarm service) skipped because
 * of how it is labelled or attached, with what to change. Dispatched once per container
 * and problem (not on every re-inspection), so it is safe to log every one.
 */
export interface DockerWarningDetail {
  /** Container name without the leading `/` (for Swarm: the service name). */
  readonly container: string;
  /** Full container id (for Swarm: the service id). */
  readonly containerId: string;
  /** The label at fault, e.g. `lbpoc.weight`; `lbpoc.port`/`lbpoc.network` also when the label is missing and cannot be guessed. */
  readonly label: string;
  /** The label's value as found; `undefined` when the label is absent. */
  readonly value: string | undefined;
  /** For people: names the container, the label, the value and what is allowed. */
  readonly message: string;
}

/** `detail` of a `DockerSource` 'state' event: the daemon connection came up or went away. */
export interface DockerStateDetail {
  readonly state: 'connected' | 'disconnected';
  /** Where the engine is, e.g. `unix:///var/run/docker.sock`. */
  readonly endpoint: string;
  /** Why it went away (for 'disconnected'). */
  readonly error?: Error;
  /** When the next attempt to reconnect is made (for 'disconnected'). */
  readonly retryInMs?: number;
}

/** The events a `DockerSource` dispatches, for typed `addEventListener`. */
export interface DockerSourceEventMap {
  /** `current()` returns a new set. */
  change: Event;
  /** A container was skipped; log it. */
  warning: CustomEvent<DockerWarningDetail>;
  /** Connected to the daemon, or lost it (the last known set is kept meanwhile). */
  state: CustomEvent<DockerStateDetail>;
  /** A failed connection or reconnection attempt (the `DiscoverySource` contract's error event). */
  error: CustomEvent<{ readonly error: Error }>;
}
