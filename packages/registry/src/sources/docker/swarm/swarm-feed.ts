import { DockerUnavailableError } from '../docker-errors.js';
import type { DockerFeed, FeedHost } from '../docker-feed.js';
import { DOCKER_LABELS } from '../docker-labels.js';
import type { ResolvedDockerSourceOptions } from '../docker-source-options.js';
import type { DockerApi } from '../engine/docker-api.js';
import { findOwnContainer } from '../networks/find-own-container.js';
import { swarmBackends } from './swarm-backends.js';

/**
 * Tasks of enabled Swarm services, polled from a manager every `pollIntervalMs`: Docker
 * publishes no task events, so a poll is the only complete view. Each poll lists the
 * services with the enable label, then their tasks that Swarm wants running, and
 * replaces the set with the running ones.
 */
export class SwarmFeed implements DockerFeed {
  readonly checkIntervalMs: number;
  private api: DockerApi | undefined;
  private selfNetworks: readonly string[];

  constructor(
    private readonly host: FeedHost,
    private readonly options: ResolvedDockerSourceOptions,
  ) {
    this.checkIntervalMs = options.pollIntervalMs;
    this.selfNetworks = options.selfNetworks ?? [];
  }

  async open(api: DockerApi): Promise<void> {
    this.api = api;
    const info = await api.info();
    const swarm = info.Swarm ?? {};
    if (swarm.LocalNodeState !== 'active' || swarm.ControlAvailable !== true) {
      const state = swarm.LocalNodeState === 'active' ? 'a worker node' : `swarm state ${JSON.stringify(swarm.LocalNodeState ?? 'unknown')}`;
      throw new DockerUnavailableError(
        api.endpoint,
        `Swarm discovery needs a swarm manager, and this engine is ${state}`,
        'Run the balancer on a manager node (placement constraint node.role == manager) or use containers mode',
      );
    }
    if (this.options.selfNetworks === undefined) this.selfNetworks = (await findOwnContainer(api))?.networks ?? [];
    await this.poll(api);
  }

  async check(): Promise<void> {
    if (this.api !== undefined) await this.poll(this.api);
  }

  detach(): void {
    this.api = undefined;
  }

  private async poll(api: DockerApi): Promise<void> {
    const services = await api.services(DOCKER_LABELS.enable);
    const tasks = await api.tasks(services.map((service) => service.ID));
    if (this.api !== api) return;
    const { addresses, warnings } = swarmBackends(services, tasks, { pool: this.options.pool, network: this.options.network, selfNetworks: this.selfNetworks });
    for (const service of services)
      this.host.warn(
        service.ID,
        warnings.filter((warning) => warning.containerId === service.ID),
      );
    const seen = new Set<string>();
    this.host.update(addresses.filter((address) => !seen.has(address.id) && seen.add(address.id)));
  }
}
