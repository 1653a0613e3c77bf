import { linkAbort } from '../../shared/abort-link.js';
import { type BackendAddress, validateBackendAddresses } from '../../shared/backend-address.js';
import { PoolClosedError } from '../../shared/errors.js';
import { TypedEventTarget } from '../../shared/typed-event-target.js';
import type { DiscoverySource } from '../discovery-source.js';
import { ContainerFeed } from './containers/container-feed.js';
import { DockerUnavailableError } from './docker-errors.js';
import type { DockerFeed } from './docker-feed.js';
import type { DockerSourceEventMap, DockerStateDetail, DockerWarningDetail } from './docker-source-events.js';
import { type DockerSourceOptions, type ResolvedDockerSourceOptions, resolveDockerSourceOptions } from './docker-source-options.js';
import { backoffDelayMs } from './engine/backoff.js';
import { DOCKERODE_MISSING_HINT, DockerApi, DockerodeMissingError, defaultEndpoint } from './engine/docker-api.js';
import { SwarmFeed } from './swarm/swarm-feed.js';
import { WarningLog } from './warning-log.js';

type SourceState = 'new' | 'starting' | 'running' | 'closed';
interface Connection {
  readonly api: DockerApi;
}

/**
 * What to do about an engine that does not answer, in terms of Docker itself (this package
 * knows nothing of the deployment it runs in).
 */
const UNAVAILABLE_HINT =
  "Is dockerd running, and may this process use its socket? In a container, point DOCKER_HOST at a read-only Docker API proxy (DOCKER_HOST=tcp://<proxy-host>:2375) or mount the socket's folder rather than the socket file (-v /var/run:/var/run/docker-host:ro with DOCKER_HOST=unix:///var/run/docker-host/docker.sock): a mounted socket file goes stale when dockerd restarts";

/**
 * Backends from Docker labels (see the README's label table): the containers of one
 * engine (`mode: 'containers'`, from its event stream) or the tasks of Swarm services
 * (`mode: 'swarm'`, polled from a manager).
 *
 * The engine is a dependency that restarts: when it goes away (socket gone, stream
 * ended, pings unanswered) the source keeps serving the last known set, dispatches
 * 'state' (disconnected) and 'error', and reconnects with exponential backoff, each time
 * with a new client (a restarted daemon recreates its socket). Once back it reconciles
 * from a full listing and dispatches 'state' (connected).
 *
 * Containers it cannot use because of their labels or networks are skipped with a
 * 'warning' event naming the container, the label, the value and what is allowed;
 * discovery itself never fails on them.
 */
export class DockerSource extends TypedEventTarget<DockerSourceEventMap> implements DiscoverySource {
  readonly options: ResolvedDockerSourceOptions;
  private readonly feed: DockerFeed;
  private readonly warnings = new WarningLog();
  private snapshot: readonly BackendAddress[] = Object.freeze([]);
  private state: SourceState = 'new';
  private starting: Promise<void> | undefined;
  private connection: Connection | undefined;
  private connecting = false;
  private isConnected = false;
  private endpoint = '';
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopOnAbort: (() => void) | undefined;

  /** @throws InvalidDockerSourceOptionError for an option out of range (nothing is started) */
  constructor(options: DockerSourceOptions = {}) {
    super();
    this.options = resolveDockerSourceOptions(options);
    const host = {
      update: (addresses: readonly BackendAddress[]) => this.update(addresses),
      warn: (key: string, warnings: readonly DockerWarningDetail[]) => this.warn(key, warnings),
    };
    this.feed = this.options.mode === 'swarm' ? new SwarmFeed(host, this.options) : new ContainerFeed(host, this.options);
  }

  /** True while the engine answers; false before `start()`, during an outage and after `close()`. */
  get connected(): boolean {
    return this.isConnected;
  }

  current(): readonly BackendAddress[] {
    return this.snapshot;
  }

  /**
   * Connects, lists, and resolves once `current()` holds the first complete set.
   * Idempotent. Aborting `signal` closes the source.
   * @throws DockerUnavailableError when the engine cannot be reached (start() may be called again later);
   *   PoolClosedError after (or during) `close()`
   */
  start(signal?: AbortSignal): Promise<void> {
    if (this.state === 'closed') return Promise.reject(new PoolClosedError('This DockerSource'));
    this.starting ??= this.begin(signal);
    return this.starting;
  }

  /** Stops watching, cancels every call to the engine and frees its sockets and timers. Idempotent. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.isConnected = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.stopOnAbort?.();
    this.drop();
  }

  private async begin(signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    this.state = 'starting';
    this.stopOnAbort = linkAbort(signal, () => void this.close());
    try {
      await this.connect();
    } catch (error) {
      if ((this.state as SourceState) === 'closed') throw new PoolClosedError('This DockerSource');
      // Let the caller retry start() once the engine is up.
      this.state = 'new';
      this.starting = undefined;
      this.stopOnAbort?.();
      throw this.unavailable(error);
    }
    if ((this.state as SourceState) === 'closed') throw new PoolClosedError('This DockerSource');
    this.state = 'running';
    this.onConnected();
  }

  /** Opens a connection with a new client and lets the feed bring the set up to date. */
  private async connect(): Promise<void> {
    const api = await DockerApi.create(this.options.docker, this.options.requestTimeoutMs);
    this.endpoint = api.endpoint;
    const connection: Connection = { api };
    this.connection = connection;
    this.connecting = true;
    try {
      await this.feed.open(api, (error) => this.lost(connection, error));
      if (this.connection !== connection) throw new Error('the connection was lost while listing');
    } catch (error) {
      if (this.connection === connection) this.drop();
      else api.close();
      throw error;
    } finally {
      this.connecting = false;
    }
  }

  private onConnected(): void {
    const wasConnected = this.isConnected;
    this.attempt = 0;
    this.isConnected = true;
    if (!wasConnected) this.dispatchState({ state: 'connected', endpoint: this.endpoint });
    this.scheduleCheck();
  }

  /** Heartbeat (containers) or poll (Swarm), one at a time: the next is scheduled when one ends. */
  private scheduleCheck(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const connection = this.connection;
      if (connection === undefined || this.state !== 'running') return;
      this.feed.check().then(
        () => {
          if (this.connection === connection && this.state === 'running') this.scheduleCheck();
        },
        (error: unknown) => this.lost(connection, error),
      );
    }, this.feed.checkIntervalMs);
  }

  /** The connection failed after it was open: keep the set, reconnect. */
  private lost(connection: Connection, error: unknown): void {
    if (this.connection !== connection || this.state === 'closed') return;
    this.drop();
    if (this.connecting) return; // connect() notices and fails; its caller retries
    if (this.state === 'running') this.retry(error);
  }

  private retry(error: unknown): void {
    clearTimeout(this.timer);
    const delay = backoffDelayMs(this.attempt, this.options.reconnectInitialDelayMs, this.options.reconnectMaxDelayMs);
    this.attempt += 1;
    const unavailable = this.unavailable(error);
    if (this.isConnected) {
      this.isConnected = false;
      this.dispatchState({ state: 'disconnected', endpoint: this.endpoint, error: unavailable, retryInMs: delay });
    }
    this.dispatchEvent(new CustomEvent('error', { detail: { error: unavailable } }));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.reconnect();
    }, delay);
  }

  private async reconnect(): Promise<void> {
    if (this.state !== 'running') return;
    try {
      await this.connect();
    } catch (error) {
      if (this.state === 'running') this.retry(error);
      return;
    }
    if (this.state === 'running') this.onConnected();
  }

  private drop(): void {
    const connection = this.connection;
    this.connection = undefined;
    this.feed.detach();
    connection?.api.close();
  }

  private update(addresses: readonly BackendAddress[]): void {
    if (this.state === 'closed') return;
    const next = validateBackendAddresses(addresses);
    if (JSON.stringify(next) === JSON.stringify(this.snapshot)) return;
    this.snapshot = next;
    if (this.state === 'running') this.dispatchEvent(new Event('change'));
  }

  private warn(key: string, warnings: readonly DockerWarningDetail[]): void {
    if (this.state === 'closed') return;
    for (const detail of this.warnings.fresh(key, warnings)) this.dispatchEvent(new CustomEvent('warning', { detail }));
  }

  private dispatchState(detail: DockerStateDetail): void {
    this.dispatchEvent(new CustomEvent('state', { detail }));
  }

  private unavailable(error: unknown): DockerUnavailableError {
    if (error instanceof DockerUnavailableError) return error;
    if (error instanceof DockerodeMissingError) {
      return new DockerUnavailableError(this.endpoint || defaultEndpoint(this.options.docker), error.message, DOCKERODE_MISSING_HINT, { cause: error });
    }
    return new DockerUnavailableError(this.endpoint, describeFailure(error, this.options.requestTimeoutMs), UNAVAILABLE_HINT, { cause: error });
  }
}

/** A person's reading of a failed call: the socket is missing, refused, not ours, silent. */
function describeFailure(error: unknown, timeoutMs: number): string {
  const { code, name, message } = (error ?? {}) as { code?: string; name?: string; message?: string };
  switch (code) {
    case 'ENOENT':
      return 'no socket there (ENOENT)';
    case 'ECONNREFUSED':
      return 'connection refused (ECONNREFUSED): nothing listens on the socket';
    case 'EACCES':
      return 'permission denied on the socket (EACCES)';
    case 'ECONNRESET':
      return 'connection reset (ECONNRESET)';
  }
  if (name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  return message ?? String(error);
}
