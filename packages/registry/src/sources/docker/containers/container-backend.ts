import { type BackendAddress, backendId } from '../../../shared/backend-address.js';
import {
  COMPOSE_PROJECT_LABEL,
  COMPOSE_SERVICE_LABEL,
  DOCKER_LABELS,
  labelProblemMessage,
  readBackendLabels,
  readEnableLabel,
  readPoolLabel,
  SWARM_SERVICE_LABEL,
} from '../docker-labels.js';
import type { DockerWarningDetail } from '../docker-source-events.js';
import { type AttachedNetwork, pickNetwork } from '../networks/pick-network.js';

/**
 * The part of `GET /containers/{id}/json` (docker inspect) that discovery reads. Listing
 * (`GET /containers/json`) lacks the health status and exposed ports, so every decision
 * is made on an inspection.
 */
export interface InspectedContainer {
  readonly Id: string;
  /** `/web-1`: Docker keeps the leading slash. */
  readonly Name: string;
  readonly Config: {
    readonly Labels?: Readonly<Record<string, string>> | null;
    readonly ExposedPorts?: Readonly<Record<string, unknown>> | null;
    readonly StopSignal?: string;
    readonly Hostname?: string;
  };
  readonly State: {
    readonly Running: boolean;
    readonly Paused: boolean;
    readonly Restarting: boolean;
    readonly StartedAt: string;
    readonly Health?: { readonly Status: string } | null;
  };
  readonly NetworkSettings: {
    readonly Networks?: Readonly<Record<string, { readonly IPAddress?: string; readonly GlobalIPv6Address?: string }>> | null;
  };
}

/** The source's settings that bear on one container. */
export interface ContainerContext {
  /** Only containers of this pool; all enabled ones when undefined. */
  readonly pool: string | undefined;
  /** The `network` option: default network. */
  readonly network: string | undefined;
  readonly selfNetworks: readonly string[];
  /** A stop signal was sent to this run of the container: it is shutting down. */
  readonly stopping: boolean;
}

export type ContainerVerdict =
  /** Serve it. */
  | { readonly kind: 'backend'; readonly address: BackendAddress }
  /** Not a backend now, and nothing to fix: not enabled, another pool, not running, paused, stopping, not healthy. */
  | { readonly kind: 'ignored'; readonly reason: string }
  /** Misconfigured: skipped, with what to fix. */
  | { readonly kind: 'skipped'; readonly warnings: readonly DockerWarningDetail[] };

/** `web-1` for `/web-1`. */
export function containerName(container: Pick<InspectedContainer, 'Name' | 'Id'>): string {
  return container.Name.replace(/^\//, '') || container.Id.slice(0, 12);
}

/**
 * Decides whether an inspected container is a backend of this source, and where.
 * Configuration problems are checked before the container's state, so a bad label is
 * reported as soon as the container runs, not only once it turns healthy.
 */
export function containerBackend(container: InspectedContainer, context: ContainerContext): ContainerVerdict {
  const labels = container.Config.Labels ?? {};
  const name = containerName(container);
  const subject = `container ${JSON.stringify(name)}`;
  const warn = (label: string, message: string): DockerWarningDetail => ({
    container: name,
    containerId: container.Id,
    label,
    value: labels[label],
    message,
  });

  const enable = readEnableLabel(labels);
  if (enable === 'disabled') return { kind: 'ignored', reason: `no ${DOCKER_LABELS.enable}=true label` };
  if (enable !== 'enabled') return { kind: 'skipped', warnings: [warn(enable.label, labelProblemMessage(subject, enable))] };

  const poolLabel = readPoolLabel(labels);
  if (typeof poolLabel === 'object') return { kind: 'skipped', warnings: [warn(poolLabel.label, labelProblemMessage(subject, poolLabel))] };
  const pool = poolLabel ?? labels[COMPOSE_SERVICE_LABEL] ?? labels[SWARM_SERVICE_LABEL] ?? name;
  if (context.pool !== undefined && pool !== context.pool) return { kind: 'ignored', reason: `pool ${pool}, not ${context.pool}` };

  const { State: state } = container;
  if (!state.Running || state.Restarting) return { kind: 'ignored', reason: state.Restarting ? 'restarting' : 'not running' };

  const { labels: parsed, problems } = readBackendLabels(labels);
  if (problems.length > 0) return { kind: 'skipped', warnings: problems.map((problem) => warn(problem.label, labelProblemMessage(subject, problem))) };

  const port = parsed.port ?? singleExposedTcpPort(container);
  if (port === undefined) {
    const exposed = Object.keys(container.Config.ExposedPorts ?? {});
    const what = exposed.length === 0 ? 'exposes no port' : `exposes ${exposed.join(', ')}`;
    return {
      kind: 'skipped',
      warnings: [
        warn(
          DOCKER_LABELS.port,
          `${subject}: no ${DOCKER_LABELS.port} label, and the image ${what}; set ${DOCKER_LABELS.port}=<1-65535>. Skipped until it is fixed.`,
        ),
      ],
    };
  }

  const networks: AttachedNetwork[] = Object.entries(container.NetworkSettings.Networks ?? {}).map(([networkName, settings]) => ({
    name: networkName,
    address: settings.IPAddress || settings.GlobalIPv6Address || '',
  }));
  const choice = pickNetwork(networks, {
    label: parsed.network,
    defaultNetwork: context.network,
    project: labels[COMPOSE_PROJECT_LABEL],
    selfNetworks: context.selfNetworks,
  });
  if ('problem' in choice) return { kind: 'skipped', warnings: [warn(DOCKER_LABELS.network, `${subject}: ${choice.problem}. Skipped until it is fixed.`)] };

  if (state.Paused) return { kind: 'ignored', reason: 'paused' };
  if (context.stopping) return { kind: 'ignored', reason: 'stopping' };
  const health = state.Health?.Status;
  if (health !== undefined && health !== 'none' && health !== 'healthy') return { kind: 'ignored', reason: `health ${health}` };

  return {
    kind: 'backend',
    address: {
      id: backendId(choice.address, port),
      host: choice.address,
      port,
      weight: parsed.weight,
      pool,
      ...(parsed.healthPath === undefined ? {} : { healthPath: parsed.healthPath }),
    },
  };
}

/** The port of `EXPOSE 5000` (or `--expose`), when the image exposes exactly one TCP port. */
function singleExposedTcpPort(container: InspectedContainer): number | undefined {
  const tcp = Object.keys(container.Config.ExposedPorts ?? {}).filter((key) => /^\d+\/tcp$/.test(key) || /^\d+$/.test(key));
  if (tcp.length !== 1) return undefined;
  const port = Number.parseInt(tcp[0]!, 10);
  return port >= 1 && port <= 65_535 ? port : undefined;
}
