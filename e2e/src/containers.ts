import { docker, type EngineInfo } from './private-engine.js';

/** What the tests need to know about one container, from `docker inspect`. */
export interface ContainerFacts {
  readonly id: string;
  readonly name: string;
  readonly running: boolean;
  readonly startedAt: string;
  readonly restartCount: number;
  /** Network name -> IPv4 address on it. */
  readonly networks: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly binds: readonly string[];
  readonly mounts: readonly { readonly Source: string; readonly Destination: string; readonly RW: boolean }[];
}

interface Inspected {
  Id: string;
  Name: string;
  RestartCount: number;
  State: { Running: boolean; StartedAt: string };
  Config: { Labels: Record<string, string> | null };
  HostConfig: { Binds: string[] | null };
  Mounts: { Source: string; Destination: string; RW: boolean }[];
  NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
}

export async function inspectContainers(engine: EngineInfo, ids: readonly string[]): Promise<ContainerFacts[]> {
  if (ids.length === 0) return [];
  const parsed = JSON.parse(await docker(engine, ['inspect', '--type', 'container', ...ids])) as Inspected[];
  return parsed.map((c) => ({
    id: c.Id,
    name: c.Name.replace(/^\//, ''),
    running: c.State.Running,
    startedAt: c.State.StartedAt,
    restartCount: c.RestartCount,
    networks: Object.fromEntries(Object.entries(c.NetworkSettings.Networks).map(([name, n]) => [name, n.IPAddress])),
    labels: c.Config.Labels ?? {},
    binds: c.HostConfig.Binds ?? [],
    mounts: c.Mounts,
  }));
}

/** Running containers that carry every label given (`key=value` or `key`). */
export async function containersWith(engine: EngineInfo, labels: readonly string[]): Promise<ContainerFacts[]> {
  const ids = (await docker(engine, ['ps', '-q', '--no-trunc', ...labels.flatMap((label) => ['--filter', `label=${label}`])])).split('\n').filter(Boolean);
  return inspectContainers(engine, ids);
}

/** The address a container has on the network whose name ends with `suffix` (compose and stacks prefix it). */
export function addressOn(container: ContainerFacts, suffix: string): string {
  const entry = Object.entries(container.networks).find(([name]) => name === suffix || name.endsWith(`_${suffix}`));
  if (entry === undefined) throw new Error(`${container.name} is not on a network named *${suffix} (it is on ${Object.keys(container.networks).join(', ')})`);
  return entry[1];
}

/**
 * Runs a Node one-liner inside a container and parses its last output line as JSON. The
 * images have no shell and no curl; node is there. Used where nothing is published:
 * the proxy on its internal network, a swarm task.
 */
export async function nodeInContainer<T>(engine: EngineInfo, container: string, script: string, timeoutMs = 60_000): Promise<T> {
  const out = await docker(engine, ['exec', container, 'node', '--input-type=module', '-e', script], timeoutMs);
  const last = out.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`unexpected output from node in ${container}: ${out.slice(-2000)}`);
  }
}
