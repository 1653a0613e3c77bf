import { randomBytes } from 'node:crypto';
import { freePort } from '../../test-support/free-port.js';
import { type ContainerFacts, containersWith } from './containers.js';
import { type EngineInfo, engineEnv } from './private-engine.js';
import { COMPOSE_FILE, REPO_ROOT } from './repo.js';
import { run, tail } from './run.js';

/** The 127.0.0.1 ports a project's services are published on. */
export interface PublishedPorts {
  readonly balancer: number;
  readonly admin: number;
  readonly prometheus: number;
  readonly nodeExporter: number;
}

/**
 * One `docker-compose -p <unique name> -f infra/compose.yaml` project on the private
 * engine: its own name (so nothing collides with another run or stack), every port on
 * 127.0.0.1 (the traffic port too: LBPOC_PUBLIC_BIND), the local Prometheus and node
 * exporter images, and the engine's socket folder for the docker-api proxy. `overrides`:
 * compose files laid over infra/compose.yaml (`-f` after it), for what only a test changes.
 */
export class ComposeProject {
  private constructor(
    readonly engine: EngineInfo,
    readonly name: string,
    readonly ports: PublishedPorts,
    private readonly env: NodeJS.ProcessEnv,
    private readonly files: readonly string[],
  ) {}

  static async create(engine: EngineInfo, extraEnv: NodeJS.ProcessEnv = {}, overrides: readonly string[] = []): Promise<ComposeProject> {
    const ports: PublishedPorts = { balancer: await freePort(), admin: await freePort(), prometheus: await freePort(), nodeExporter: await freePort() };
    const name = `lbpoc-e2e-${randomBytes(4).toString('hex')}`;
    const env = engineEnv(engine, {
      GRAFANA_ADMIN_PASSWORD: randomBytes(16).toString('hex'),
      PROMETHEUS_IMAGE: 'lbpoc/prometheus:local',
      NODE_EXPORTER_IMAGE: 'lbpoc/node-exporter:local',
      DOCKER_SOCKET_DIR: engine.socketDir,
      LBPOC_PUBLIC_BIND: '127.0.0.1',
      LBPOC_PUBLIC_PORT: String(ports.balancer),
      LBPOC_ADMIN_PORT: String(ports.admin),
      PROMETHEUS_PORT: String(ports.prometheus),
      NODE_EXPORTER_PORT: String(ports.nodeExporter),
      ...extraEnv,
    });
    return new ComposeProject(engine, name, ports, env, [COMPOSE_FILE, ...overrides]);
  }

  /** `docker-compose -p <name> -f infra/compose.yaml [-f override]... <args>`, bounded. */
  async compose(args: readonly string[], timeoutMs = 120_000): Promise<string> {
    const files = this.files.flatMap((file) => ['-f', file]);
    const { stdout, stderr } = await run('docker-compose', ['--ansi', 'never', '-p', this.name, ...files, ...args], {
      cwd: REPO_ROOT,
      env: this.env,
      timeoutMs,
    });
    return stdout + stderr;
  }

  /** Running containers of a service of this project. */
  containers(service: string): Promise<ContainerFacts[]> {
    return containersWith(this.engine, [`com.docker.compose.project=${this.name}`, `com.docker.compose.service=${service}`]);
  }

  async only(service: string): Promise<ContainerFacts> {
    const [container, ...more] = await this.containers(service);
    if (container === undefined || more.length > 0) throw new Error(`expected one running ${service} container, found ${more.length + (container ? 1 : 0)}`);
    return container;
  }

  /** The last log lines of some services, for a failure message. */
  async logs(services: readonly string[], lines = 40): Promise<string> {
    return tail(
      await this.compose(['logs', '--no-color', '--tail', String(lines), ...services], 30_000).catch((e: Error) => e.message),
      lines * services.length,
    );
  }

  /** Removes the project's containers, networks and volumes. */
  async down(): Promise<void> {
    await this.compose(['down', '--volumes', '--remove-orphans', '--timeout', '5'], 120_000);
  }
}
