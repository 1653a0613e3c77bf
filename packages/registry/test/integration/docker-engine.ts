/**
 * Containers and networks on a real Docker engine, for the DockerSource tests. Everything
 * created carries the label `lbpoc.test=<run id>` and `cleanup()` removes all of it, so a
 * failed test leaves nothing behind. The containers run `node -e` from the local base
 * image `lbpoc/node:24-local` (there is no registry to pull from; .ci/docker.sh builds it).
 */
import Docker from 'dockerode';

export const TEST_IMAGE = 'lbpoc/node:24-local';
export const TEST_LABEL = 'lbpoc.test';

/** A tiny HTTP server on port 8080. */
export const HTTP_SERVER = "require('http').createServer((q, s) => s.end('ok')).listen(8080)";

/** The same server, but SIGTERM makes it linger `ms` before exiting: a container that drains slowly on `docker stop`. */
export function slowStoppingServer(ms: number): string {
  return `${HTTP_SERVER}; process.on('SIGTERM', () => setTimeout(() => process.exit(0), ${ms}))`;
}

/** A HEALTHCHECK that passes while /tmp/ready exists (the test creates and removes it with docker exec). */
export const READY_FILE_HEALTHCHECK = {
  Test: ['CMD', 'node', '-e', "process.exit(require('fs').existsSync('/tmp/ready') ? 0 : 1)"],
  Interval: 300_000_000,
  Timeout: 5_000_000_000,
  Retries: 1,
  StartPeriod: 0,
};

export interface ContainerSpec {
  /** Suffix of the container name (`lbpoc-test-<run>-<name>`). */
  readonly name: string;
  readonly labels?: Record<string, string>;
  /** Networks to attach, first one at creation; default: none given, the caller must pass at least one. */
  readonly networks: readonly string[];
  readonly script?: string;
  readonly healthcheck?: typeof READY_FILE_HEALTHCHECK;
  readonly exposedPorts?: readonly string[];
  /** Start it (default true). */
  readonly start?: boolean;
}

/** A connection to the engine under test, or a failure that says how to get one. Never a skip. */
export async function connectToEngine(options?: Docker.DockerOptions): Promise<Docker> {
  const docker = new Docker(options ?? (process.env.DOCKER_HOST ? undefined : { socketPath: '/var/run/docker.sock' }));
  const where = options?.socketPath ?? process.env.DOCKER_HOST ?? '/var/run/docker.sock';
  try {
    await docker.ping();
  } catch (error) {
    throw new Error(
      `The Docker tests need a real engine and none answers at ${where} (${(error as Error).message}). ` +
        'Run `bash .ci/docker.sh` first: it installs docker.io if missing, starts dockerd and builds the test image.',
    );
  }
  try {
    await docker.getImage(TEST_IMAGE).inspect();
  } catch {
    throw new Error(`The Docker tests need the local image ${TEST_IMAGE}, which is missing. Run \`bash .ci/docker.sh\` to build it.`);
  }
  return docker;
}

export class TestContainers {
  readonly runId: string;

  constructor(
    readonly docker: Docker,
    runId?: string,
  ) {
    this.runId = runId ?? `${process.pid}-${Date.now().toString(36)}`;
  }

  /** A full name in this run's namespace. */
  name(suffix: string): string {
    return `lbpoc-test-${this.runId}-${suffix}`;
  }

  async network(suffix: string, options: Partial<Docker.NetworkCreateOptions> = {}): Promise<string> {
    const name = this.name(suffix);
    await this.docker.createNetwork({ Name: name, Driver: 'bridge', ...options, Labels: { [TEST_LABEL]: this.runId } });
    return name;
  }

  async run(spec: ContainerSpec): Promise<Docker.Container> {
    const [first, ...others] = spec.networks;
    const container = await this.docker.createContainer({
      name: this.name(spec.name),
      Image: TEST_IMAGE,
      Cmd: ['node', '-e', spec.script ?? HTTP_SERVER],
      Labels: { ...spec.labels, [TEST_LABEL]: this.runId },
      ...(spec.healthcheck === undefined ? {} : { Healthcheck: spec.healthcheck }),
      ...(spec.exposedPorts === undefined ? {} : { ExposedPorts: Object.fromEntries(spec.exposedPorts.map((port) => [port, {}])) }),
      HostConfig: { NetworkMode: first ?? 'none', AutoRemove: false },
    });
    for (const network of others) await this.docker.getNetwork(network).connect({ Container: container.id });
    if (spec.start !== false) await container.start();
    return container;
  }

  /** The container's address on `network`. */
  async addressOn(container: Docker.Container, network: string): Promise<string> {
    const info = await container.inspect();
    const address = info.NetworkSettings.Networks[network]?.IPAddress;
    if (!address) throw new Error(`container ${info.Name} has no address on ${network}`);
    return address;
  }

  /** Runs `node -e script` inside the container and waits for it to finish. */
  async exec(container: Docker.Container, script: string): Promise<void> {
    const exec = await container.exec({ Cmd: ['node', '-e', script], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    stream.resume();
    await new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    const { ExitCode } = await exec.inspect();
    if (ExitCode !== 0) throw new Error(`exec ${script} exited ${ExitCode}`);
  }

  /** Ids of this run's containers that still exist. */
  async leftovers(): Promise<string[]> {
    const containers = await this.docker.listContainers({ all: true, filters: { label: [`${TEST_LABEL}=${this.runId}`] } });
    return containers.map((container) => container.Id);
  }

  /** Removes every container and network of this run (running or not). */
  async cleanup(): Promise<void> {
    for (const id of await this.leftovers()) {
      await this.docker
        .getContainer(id)
        .remove({ force: true })
        .catch(() => undefined);
    }
    const networks = await this.docker.listNetworks({ filters: { label: [`${TEST_LABEL}=${this.runId}`] } });
    for (const network of networks) {
      await this.docker
        .getNetwork(network.Id)
        .remove()
        .catch(() => undefined);
    }
  }
}

/**
 * Polls `probe` every 20 ms until it returns something other than `undefined`/`false`,
 * for at most `timeoutMs`; then fails naming what was awaited.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
