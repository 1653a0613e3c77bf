/** One network a container (or Swarm task) is attached to, and its address there. */
export interface AttachedNetwork {
  readonly name: string;
  /** IPv4 or IPv6 address without prefix length; empty when it has none there (network mode host/none). */
  readonly address: string;
}

/** What decides the network, besides the container's own attachments. */
export interface NetworkPreference {
  /** The `lbpoc.network` label: binding, a container not attached to it is skipped. */
  readonly label: string | undefined;
  /** The source's `network` option: the default, used when the container is attached to it. */
  readonly defaultNetwork: string | undefined;
  /** Compose project (or Swarm stack) of the container: `backend` also matches `<project>_backend`. */
  readonly project: string | undefined;
  /** Networks of the balancer's own container: a backend is reachable only on one of those. */
  readonly selfNetworks: readonly string[];
}

export type NetworkChoice = { readonly name: string; readonly address: string } | { readonly problem: string };

/**
 * Which of a backend's addresses the balancer should dial. A container on several
 * networks has one address on each, and only some are reachable from the balancer;
 * picking "the first" (map order) sends traffic to an arbitrary one, a classic way for a
 * Docker-aware proxy to time out on half of its backends. So, in order:
 *
 * 1. the `lbpoc.network` label (also as `<project>_<name>`, the name Compose gives it);
 *    not attached to it: a problem, never a guess;
 * 2. the `network` option, when the container is attached to it;
 * 3. the one network shared with the balancer's own container; several: a problem;
 * 4. the container's only network; several: a problem.
 */
export function pickNetwork(networks: readonly AttachedNetwork[], preference: NetworkPreference): NetworkChoice {
  const names = networks.map((network) => network.name);
  const attached = names.length === 0 ? 'no network' : `networks ${names.join(', ')}`;
  const find = (wanted: string) =>
    networks.find((network) => network.name === wanted) ??
    (preference.project === undefined ? undefined : networks.find((network) => network.name === `${preference.project}_${wanted}`));
  const use = (network: AttachedNetwork): NetworkChoice =>
    network.address === ''
      ? { problem: `no address on network ${network.name} (network mode host or none gives none); attach it to a bridge or overlay network` }
      : { name: network.name, address: network.address };

  if (preference.label !== undefined) {
    const network = find(preference.label);
    if (network !== undefined) return use(network);
    return { problem: `not attached to network ${JSON.stringify(preference.label)} that its lbpoc.network label names (attached to ${attached})` };
  }
  if (preference.defaultNetwork !== undefined) {
    const network = find(preference.defaultNetwork);
    if (network !== undefined) return use(network);
  }
  const reachable = networks.filter((network) => network.address !== '');
  const shared = reachable.filter((network) => preference.selfNetworks.includes(network.name));
  if (shared.length === 1) return use(shared[0]!);
  if (shared.length > 1) {
    return { problem: `several networks shared with the balancer (${shared.map((n) => n.name).join(', ')}); set the lbpoc.network label to one of them` };
  }
  if (reachable.length === 1) return use(reachable[0]!);
  if (reachable.length === 0) {
    return { problem: `no address on ${attached} (network mode host or none gives none); attach it to a bridge or overlay network` };
  }
  return {
    problem: `on several networks (${reachable.map((n) => n.name).join(', ')}) and none is chosen; set the lbpoc.network label to the one the balancer reaches it on`,
  };
}
