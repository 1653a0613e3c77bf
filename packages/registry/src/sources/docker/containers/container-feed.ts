import type { Readable } from 'node:stream';
import type { BackendAddress } from '../../../shared/backend-address.js';
import type { DockerFeed, FeedHost } from '../docker-feed.js';
import { DOCKER_LABELS } from '../docker-labels.js';
import type { ResolvedDockerSourceOptions } from '../docker-source-options.js';
import type { DockerApi } from '../engine/docker-api.js';
import { readJsonLines } from '../engine/json-lines.js';
import { findOwnContainer } from '../networks/find-own-container.js';
import { type ContainerVerdict, containerBackend, containerName, type InspectedContainer } from './container-backend.js';
import { classifyEvent, type DockerEvent, WATCHED_CONTAINER_ACTIONS, WATCHED_NETWORK_ACTIONS } from './engine-events.js';

interface Known {
  readonly container: InspectedContainer;
  verdict: ContainerVerdict;
}

/**
 * Containers of one engine, kept current from its event stream.
 *
 * - The stream is opened before the full listing, replaying from the daemon's clock a
 *   second back, so a container started during the listing is seen by one or the other.
 * - Each event about a container leads to one inspection of that container (only of
 *   that one); inspections of one container run in order, never two at once, so an old
 *   answer cannot overwrite a newer one. A container gone by then is dropped.
 * - A stop signal (`kill` event) takes the container out at once, before it dies, and
 *   keeps it out for that run even if an inspection still sees it running.
 * - What is known survives a lost connection: the source keeps serving it and the next
 *   `open()` reconciles by re-listing and re-inspecting.
 */
export class ContainerFeed implements DockerFeed {
  readonly checkIntervalMs: number;
  private api: DockerApi | undefined;
  private lost: ((error: unknown) => void) | undefined;
  private stream: Readable | undefined;
  private readonly known = new Map<string, Known>();
  /** Container id -> `State.StartedAt` of the run that was sent a stop signal ('' until inspected). */
  private readonly stopping = new Map<string, string>();
  private readonly queues = new Map<string, Promise<void>>();
  private ownId: string | undefined;
  private selfNetworks: readonly string[];
  private lastResync = 0;
  private batching = 0;

  constructor(
    private readonly host: FeedHost,
    private readonly options: ResolvedDockerSourceOptions,
  ) {
    this.checkIntervalMs = options.heartbeatIntervalMs;
    this.selfNetworks = options.selfNetworks ?? [];
  }

  async open(api: DockerApi, lost: (error: unknown) => void): Promise<void> {
    this.api = api;
    this.lost = lost;
    const info = await api.info();
    const daemonNow = Date.parse(info.SystemTime ?? '');
    const since = Math.floor((Number.isNaN(daemonNow) ? Date.now() : daemonNow) / 1000) - 1;
    const stream = await api.events(since, { type: ['container', 'network'], event: [...WATCHED_CONTAINER_ACTIONS, ...WATCHED_NETWORK_ACTIONS] });
    if (this.api !== api) {
      stream.destroy();
      return;
    }
    this.stream = stream;
    readJsonLines(
      stream,
      (event) => this.onEvent(api, event as DockerEvent),
      (error) => this.fail(api, error),
    );
    if (this.options.selfNetworks === undefined) await this.findSelf(api);
    await this.resync(api);
  }

  async check(): Promise<void> {
    const api = this.api;
    if (api === undefined) return;
    await api.ping();
    const { resyncIntervalMs } = this.options;
    if (resyncIntervalMs > 0 && performance.now() - this.lastResync >= resyncIntervalMs) await this.resync(api);
  }

  detach(): void {
    this.api = undefined;
    this.lost = undefined;
    this.stream?.destroy();
    this.stream = undefined;
  }

  /** Re-lists the running enabled containers and re-inspects them and every known one. */
  private async resync(api: DockerApi): Promise<void> {
    this.batching += 1;
    try {
      const running = await api.runningContainerIds(DOCKER_LABELS.enable);
      const ids = new Set([...running, ...this.known.keys()]);
      await Promise.all([...ids].map((id) => this.refresh(api, id)));
      this.lastResync = performance.now();
    } finally {
      this.batching -= 1;
    }
    this.publish();
  }

  private onEvent(api: DockerApi, event: DockerEvent): void {
    if (this.api !== api) return;
    const id = event.Type === 'network' ? event.Actor?.Attributes?.container : event.Actor?.ID;
    const effect = classifyEvent(event, id === undefined ? undefined : this.known.get(id)?.container.Config.StopSignal);
    if (effect === undefined) return;
    const { containerId } = effect;
    if (effect.kind === 'network') {
      if (containerId === this.ownId && this.options.selfNetworks === undefined)
        this.background(
          api,
          this.findSelf(api).then(() => this.reevaluate()),
        );
      else if (this.known.has(containerId)) this.background(api, this.refresh(api, containerId));
      return;
    }
    // Container events carry the container's labels: others' containers cost nothing.
    if (!this.known.has(containerId) && event.Actor?.Attributes?.[DOCKER_LABELS.enable] === undefined) return;
    switch (effect.kind) {
      case 'stopping': {
        this.stopping.set(containerId, this.known.get(containerId)?.container.State.StartedAt ?? '');
        this.reevaluate();
        return;
      }
      case 'destroyed':
        this.known.delete(containerId);
        this.stopping.delete(containerId);
        this.host.warn(containerId, []);
        this.publish();
        return;
      case 'started':
        this.stopping.delete(containerId);
        this.background(api, this.refresh(api, containerId));
        return;
      case 'refresh':
        this.background(api, this.refresh(api, containerId));
        return;
    }
  }

  /** Inspects one container after any inspection of it already under way, and applies the answer. */
  private refresh(api: DockerApi, id: string): Promise<void> {
    const previous = this.queues.get(id) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        if (this.api !== api) return;
        const container = await api.inspect(id);
        if (this.api !== api) return;
        if (container === undefined) {
          this.known.delete(id);
          this.stopping.delete(id);
          this.host.warn(id, []);
        } else {
          this.apply(container);
        }
        this.publish();
      });
    this.queues.set(id, next);
    void next
      .catch(() => undefined)
      .finally(() => {
        if (this.queues.get(id) === next) this.queues.delete(id);
      });
    return next;
  }

  private apply(container: InspectedContainer): void {
    const { Id: id } = container;
    const mark = this.stopping.get(id);
    if (mark !== undefined && (!container.State.Running || (mark !== '' && mark !== container.State.StartedAt))) {
      this.stopping.delete(id); // that run is over: a later run is not stopping
    } else if (mark === '') {
      this.stopping.set(id, container.State.StartedAt);
    }
    // Forget what cannot be a backend until its next `start` event (which carries its labels).
    if (!container.State.Running || container.Config.Labels?.[DOCKER_LABELS.enable] === undefined) {
      this.known.delete(id);
      this.host.warn(id, []);
      return;
    }
    const verdict = this.evaluate(container);
    this.known.set(id, { container, verdict });
    this.host.warn(id, verdict.kind === 'skipped' ? verdict.warnings : []);
  }

  private evaluate(container: InspectedContainer): ContainerVerdict {
    const mark = this.stopping.get(container.Id);
    return containerBackend(container, {
      pool: this.options.pool,
      network: this.options.network,
      selfNetworks: this.selfNetworks,
      stopping: mark !== undefined && container.State.Running && (mark === '' || mark === container.State.StartedAt),
    });
  }

  /** Decides again for every known container without asking Docker (a stop mark or our own networks changed). */
  private reevaluate(): void {
    for (const entry of this.known.values()) {
      entry.verdict = this.evaluate(entry.container);
      this.host.warn(entry.container.Id, entry.verdict.kind === 'skipped' ? entry.verdict.warnings : []);
    }
    this.publish();
  }

  private async findSelf(api: DockerApi): Promise<void> {
    const own = await findOwnContainer(api);
    if (this.api !== api) return;
    this.ownId = own?.id;
    this.selfNetworks = own?.networks ?? [];
  }

  private publish(): void {
    if (this.batching > 0) return;
    const backends: { address: BackendAddress; name: string }[] = [];
    for (const { container, verdict } of this.known.values()) {
      if (verdict.kind === 'backend') backends.push({ address: verdict.address, name: containerName(container) });
    }
    backends.sort(
      (a, b) => (a.address.pool ?? '').localeCompare(b.address.pool ?? '') || a.name.localeCompare(b.name) || a.address.id.localeCompare(b.address.id),
    );
    const seen = new Set<string>();
    const unique = backends.filter(({ address }) => !seen.has(address.id) && seen.add(address.id));
    this.host.update(unique.map(({ address }) => address));
  }

  /** Runs event-driven work; a failure means the engine stopped answering: the connection is lost. */
  private background(api: DockerApi, work: Promise<void>): void {
    work.catch((error: unknown) => this.fail(api, error));
  }

  private fail(api: DockerApi, error: unknown): void {
    if (this.api === api) this.lost?.(error);
  }
}
