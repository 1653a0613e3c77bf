import { hostname } from 'node:os';
import type { DockerApi } from '../engine/docker-api.js';
import { ownContainerCandidates } from './own-container-candidates.js';

/** The balancer's own container as the engine sees it. */
export interface OwnContainer {
  readonly id: string;
  /** Names of the networks it is attached to. */
  readonly networks: readonly string[];
}

/**
 * Finds the container this process runs in, to learn its networks: a backend on several
 * networks is reachable from the balancer only on a network they share. `undefined` when
 * the process is not in a container of this engine (the balancer runs on the host, or on
 * another node).
 */
export async function findOwnContainer(api: DockerApi, candidates: readonly string[] = ownContainerCandidates()): Promise<OwnContainer | undefined> {
  for (const candidate of candidates) {
    const container = await api.inspect(candidate);
    // Confirm: a name that happens to match another container must not be taken for ours.
    if (container === undefined || !(container.Id === candidate || container.Config.Hostname === hostname())) continue;
    return { id: container.Id, networks: Object.keys(container.NetworkSettings.Networks ?? {}) };
  }
  return undefined;
}
