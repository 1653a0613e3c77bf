import { Agent } from 'node:http';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import type { InspectedContainer } from '../containers/container-backend.js';
import type { SwarmService, SwarmTask } from '../swarm/swarm-backends.js';

/** How to reach the engine: dockerode's options (`socketPath`, `host`/`port`/`protocol`, TLS files...). */
export type DockerConnectionOptions = Docker.DockerOptions;

/** The part of `GET /info` discovery reads. */
export interface DaemonInfo {
  /** The daemon's clock, RFC 3339: events are replayed from it, so the host's clock does not matter. */
  readonly SystemTime?: string;
  readonly Swarm?: { readonly LocalNodeState?: string; readonly ControlAvailable?: boolean };
}

/** Filters for `GET /events`, as Docker takes them. */
export type EventFilters = Readonly<Record<string, readonly string[]>>;

const DEFAULT_SOCKET = '/var/run/docker.sock';

let dockerode: Promise<typeof Docker> | undefined;

/**
 * dockerode, loaded on first use: with its ssh2, gRPC and protobuf dependencies it adds
 * about 30 MiB of resident memory, which a program that carries Docker discovery but runs
 * with static backends should not pay. It is an optional peer dependency of this package:
 * when it is not installed, `DockerSource.start()` says so instead of failing on the import.
 */
function loadDockerode(): Promise<typeof Docker> {
  dockerode ??= import('dockerode').then(
    (module) => module.default,
    (error: unknown) => {
      dockerode = undefined; // installed later: the next start() finds it
      throw isModuleNotFound(error) ? new DockerodeMissingError(error) : error;
    },
  );
  return dockerode;
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // dockerode itself, not a module dockerode failed to find (that message names the other one).
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && /['"]dockerode['"]/.test(String((error as Error).message));
}

/** dockerode could not be loaded: the one failure of a DockerSource that no engine can fix. */
export class DockerodeMissingError extends Error {
  constructor(cause: unknown) {
    super('the dockerode package is not installed', { cause });
  }
}

/** Where a client with these options would connect, as far as it can be told without dockerode: for messages. */
export function defaultEndpoint(options: DockerConnectionOptions | undefined): string {
  if (options?.socketPath !== undefined) return `unix://${options.socketPath}`;
  if (options?.host !== undefined) return `tcp://${options.host}${options.port ? `:${options.port}` : ''}`;
  return process.env.DOCKER_HOST || `unix://${DEFAULT_SOCKET}`;
}

/** What to do about a DockerodeMissingError. */
export const DOCKERODE_MISSING_HINT =
  'DockerSource talks to the engine through dockerode, an optional peer dependency of @lbpoc/registry: install it beside @lbpoc/registry (npm install dockerode; TypeScript users add @types/dockerode)';

interface UntypedCalls {
  info(options: { abortSignal: AbortSignal }): Promise<unknown>;
  ping(options: { abortSignal: AbortSignal }): Promise<unknown>;
  listTasks(options: { filters: object; abortSignal: AbortSignal }): Promise<unknown>;
}

/**
 * One connection's worth of Docker client: the calls discovery makes, each with a
 * deadline, all cancelled by `close()`. The source makes a new one for every
 * (re)connection, so a daemon that restarted and recreated its socket is dialled afresh,
 * with nothing cached from the old one.
 */
export class DockerApi {
  /** `unix:///var/run/docker.sock`, `tcp://host:2376`: for messages. */
  readonly endpoint: string;
  private readonly docker: Docker;
  private readonly agent: Agent | undefined;
  private readonly closed = new AbortController();

  /**
   * A client for one connection; loads dockerode the first time.
   * @param options dockerode options; none: `DOCKER_HOST` (as the docker CLI reads it), else /var/run/docker.sock
   * @param timeoutMs deadline of each call (for the event stream: until it is attached)
   */
  static async create(options: DockerConnectionOptions | undefined, timeoutMs: number): Promise<DockerApi> {
    return new DockerApi(await loadDockerode(), options, timeoutMs);
  }

  private constructor(
    DockerClient: typeof Docker,
    options: DockerConnectionOptions | undefined,
    private readonly timeoutMs: number,
  ) {
    const useDefaultSocket = options?.socketPath === undefined && options?.host === undefined && !process.env.DOCKER_HOST;
    this.docker = new DockerClient(useDefaultSocket ? { ...options, socketPath: DEFAULT_SOCKET } : options);
    const modem = this.docker.modem as { protocol?: string; socketPath?: unknown; host?: string; port?: string | number; agent?: Agent };
    // An agent of our own, destroyed on close(): no keep-alive socket outlives the source.
    if (modem.protocol === 'http' && modem.agent === undefined) {
      this.agent = new Agent({ keepAlive: true, maxSockets: 8 });
      modem.agent = this.agent;
    }
    this.endpoint =
      modem.host !== undefined
        ? `${modem.protocol === 'https' ? 'tcp+tls' : modem.protocol === 'ssh' ? 'ssh' : 'tcp'}://${modem.host}${modem.port ? `:${modem.port}` : ''}`
        : `unix://${typeof modem.socketPath === 'string' ? modem.socketPath : DEFAULT_SOCKET}`;
  }

  info(): Promise<DaemonInfo> {
    return this.untyped.info({ abortSignal: this.deadline() }) as Promise<DaemonInfo>;
  }

  async ping(): Promise<void> {
    await this.untyped.ping({ abortSignal: this.deadline() });
  }

  /**
   * Opens the event stream. With `sinceSeconds` the daemon first replays what it buffered
   * since then and subscribes in the same step, so nothing falls between a listing made
   * afterwards and the stream.
   */
  async events(sinceSeconds: number, filters: EventFilters): Promise<Readable> {
    const attach = new AbortController();
    const stop = () => attach.abort(this.closed.signal.reason);
    this.closed.signal.addEventListener('abort', stop, { once: true });
    const timer = setTimeout(() => attach.abort(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    try {
      // dockerode hands over the HTTP response itself: a Readable.
      return (await this.docker.getEvents({ since: sinceSeconds, filters: filters as Record<string, string[]>, abortSignal: attach.signal })) as Readable;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ids of the running containers that carry `label` (any value). */
  async runningContainerIds(label: string): Promise<string[]> {
    const list = await this.docker.listContainers({ filters: { label: [label] }, abortSignal: this.deadline() });
    return list.map((container) => container.Id);
  }

  /** The container, or `undefined` if it no longer exists. */
  async inspect(id: string): Promise<InspectedContainer | undefined> {
    try {
      return (await this.docker.getContainer(id).inspect({ abortSignal: this.deadline() })) as unknown as InspectedContainer;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  /** Swarm services that carry `label` (any value). */
  async services(label: string): Promise<SwarmService[]> {
    return (await this.docker.listServices({ filters: { label: [label] }, abortSignal: this.deadline() })) as unknown as SwarmService[];
  }

  /** Tasks of these services that Swarm wants running. */
  async tasks(serviceIds: readonly string[]): Promise<SwarmTask[]> {
    if (serviceIds.length === 0) return [];
    const filters = { service: [...serviceIds], 'desired-state': ['running'] };
    return (await this.untyped.listTasks({ filters, abortSignal: this.deadline() })) as SwarmTask[];
  }

  /** Cancels every call in flight (the event stream too) and frees the sockets. Idempotent. */
  close(): void {
    this.closed.abort(new Error('Docker connection closed'));
    this.agent?.destroy();
  }

  /** The calls whose options @types/dockerode does not declare (dockerode reads `abortSignal` in all of them). */
  private get untyped(): UntypedCalls {
    return this.docker as unknown as UntypedCalls;
  }

  private deadline(): AbortSignal {
    return AbortSignal.any([this.closed.signal, AbortSignal.timeout(this.timeoutMs)]);
  }
}
