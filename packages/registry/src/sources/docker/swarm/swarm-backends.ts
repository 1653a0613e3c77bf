import { type BackendAddress, backendId } from '../../../shared/backend-address.js';
import { DOCKER_LABELS, labelProblemMessage, readBackendLabels, readEnableLabel, readPoolLabel, STACK_NAMESPACE_LABEL } from '../docker-labels.js';
import type { DockerWarningDetail } from '../docker-source-events.js';
import { type AttachedNetwork, pickNetwork } from '../networks/pick-network.js';

/** The part of `GET /services` discovery reads. Swarm puts the `lbpoc.*` labels on the service (`deploy.labels`). */
export interface SwarmService {
  readonly ID: string;
  readonly Spec: {
    readonly Name: string;
    readonly Labels?: Readonly<Record<string, string>> | null;
    readonly EndpointSpec?: { readonly Ports?: readonly { readonly TargetPort?: number; readonly Protocol?: string }[] | null } | null;
  };
}

/** The part of `GET /tasks` discovery reads: one replica, with its address on each network. */
export interface SwarmTask {
  readonly ID: string;
  readonly ServiceID: string;
  readonly Slot?: number;
  readonly Status: { readonly State: string };
  readonly NetworksAttachments?:
    | readonly {
        readonly Network: { readonly Spec?: { readonly Name?: string; readonly Ingress?: boolean } };
        /** CIDR notation: `10.0.1.5/24`. */
        readonly Addresses?: readonly string[] | null;
      }[]
    | null;
}

export interface SwarmContext {
  readonly pool: string | undefined;
  readonly network: string | undefined;
  readonly selfNetworks: readonly string[];
}

/**
 * The backends of a swarm: one per running task of each enabled service, at the task's
 * address on the chosen network. The routing mesh (`ingress`) is never a candidate: its
 * addresses belong to the mesh's load balancer, not to a replica.
 */
export function swarmBackends(
  services: readonly SwarmService[],
  tasks: readonly SwarmTask[],
  context: SwarmContext,
): { addresses: BackendAddress[]; warnings: DockerWarningDetail[] } {
  const addresses: BackendAddress[] = [];
  const warnings: DockerWarningDetail[] = [];
  const byService = new Map<string, SwarmTask[]>();
  for (const task of tasks) {
    if (task.Status.State !== 'running') continue;
    byService.set(task.ServiceID, [...(byService.get(task.ServiceID) ?? []), task]);
  }
  const ordered = [...services].sort((a, b) => a.Spec.Name.localeCompare(b.Spec.Name));
  for (const service of ordered) {
    const labels = service.Spec.Labels ?? {};
    const name = service.Spec.Name;
    const subject = `service ${JSON.stringify(name)}`;
    const warn = (label: string, message: string) => warnings.push({ container: name, containerId: service.ID, label, value: labels[label], message });

    const enable = readEnableLabel(labels);
    if (enable === 'disabled') continue;
    if (enable !== 'enabled') {
      warn(enable.label, labelProblemMessage(subject, enable));
      continue;
    }
    const poolLabel = readPoolLabel(labels);
    if (typeof poolLabel === 'object') {
      warn(poolLabel.label, labelProblemMessage(subject, poolLabel));
      continue;
    }
    const pool = poolLabel ?? name;
    if (context.pool !== undefined && pool !== context.pool) continue;
    const { labels: parsed, problems } = readBackendLabels(labels);
    if (problems.length > 0) {
      for (const problem of problems) warn(problem.label, labelProblemMessage(subject, problem));
      continue;
    }
    const targetPorts = (service.Spec.EndpointSpec?.Ports ?? []).filter((p) => (p.Protocol ?? 'tcp') === 'tcp' && p.TargetPort !== undefined);
    const port = parsed.port ?? (targetPorts.length === 1 ? targetPorts[0]!.TargetPort : undefined);
    if (port === undefined) {
      warn(
        DOCKER_LABELS.port,
        `${subject}: no ${DOCKER_LABELS.port} label, and it publishes ${targetPorts.length} TCP ports; set ${DOCKER_LABELS.port}=<1-65535>. Skipped until it is fixed.`,
      );
      continue;
    }
    const replicas = [...(byService.get(service.ID) ?? [])].sort((a, b) => (a.Slot ?? 0) - (b.Slot ?? 0) || a.ID.localeCompare(b.ID));
    let networkProblem: string | undefined;
    for (const task of replicas) {
      const networks: AttachedNetwork[] = (task.NetworksAttachments ?? [])
        .filter((attachment) => attachment.Network.Spec?.Ingress !== true && attachment.Network.Spec?.Name !== 'ingress')
        .map((attachment) => ({ name: attachment.Network.Spec?.Name ?? '', address: (attachment.Addresses?.[0] ?? '').replace(/\/\d+$/, '') }));
      const choice = pickNetwork(networks, {
        label: parsed.network,
        defaultNetwork: context.network,
        project: labels[STACK_NAMESPACE_LABEL],
        selfNetworks: context.selfNetworks,
      });
      if ('problem' in choice) {
        networkProblem ??= choice.problem;
        continue;
      }
      addresses.push({
        id: backendId(choice.address, port),
        host: choice.address,
        port,
        weight: parsed.weight,
        pool,
        ...(parsed.healthPath === undefined ? {} : { healthPath: parsed.healthPath }),
      });
    }
    if (networkProblem !== undefined) warn(DOCKER_LABELS.network, `${subject}, its tasks: ${networkProblem}. Skipped until it is fixed.`);
  }
  return { addresses, warnings };
}
