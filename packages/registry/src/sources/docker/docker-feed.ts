import type { BackendAddress } from '../../shared/backend-address.js';
import type { DockerWarningDetail } from './docker-source-events.js';
import type { DockerApi } from './engine/docker-api.js';

/** What a feed reports to the `DockerSource` that owns it. */
export interface FeedHost {
  /** The feed's complete set now (the source dispatches 'change' if it differs). */
  update(addresses: readonly BackendAddress[]): void;
  /** The problems of one container or service now (`[]`: none); the source reports each once. */
  warn(key: string, warnings: readonly DockerWarningDetail[]): void;
}

/**
 * One way of reading backends from an engine: containers from the event stream, or Swarm
 * tasks by polling. The `DockerSource` owns the connection's lifecycle (reconnects,
 * backoff, state events); a feed only reads, and keeps what it knows across connections
 * so the last known set survives an outage.
 */
export interface DockerFeed {
  /** How often the source calls `check()` while connected, ms. */
  readonly checkIntervalMs: number;
  /**
   * Starts reading through `api` and brings the set up to date; resolves once it is.
   * Later failures of this connection (the event stream ends) go to `lost`.
   */
  open(api: DockerApi, lost: (error: unknown) => void): Promise<void>;
  /** Periodic work while connected (ping, resync, poll); rejects when the engine fails to answer. */
  check(): Promise<void>;
  /** Stops using the connection (the source closes the api). Keeps the known set. */
  detach(): void;
}
