import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMPOSE_FILE, REPO_ROOT, STACK_FILE, STACK_PORTS_FILE } from '../src/repo.js';
import { run } from '../src/run.js';

/**
 * The hardening the compose files promise, read from the files themselves (YAML anchors
 * and merge keys resolved as Compose resolves them). The running containers are checked
 * against the same promises in compose-stack.test.ts.
 */

interface Service {
  image?: string;
  user?: string;
  read_only?: boolean;
  cap_drop?: string[];
  cap_add?: string[];
  privileged?: boolean;
  security_opt?: string[];
  profiles?: string[];
  ports?: (string | { target: number; published: string | number; mode?: string })[];
  volumes?: (string | { type: string; source?: string; target: string; read_only?: boolean })[];
  tmpfs?: string[];
  networks?: string[];
  network_mode?: string;
  pid?: string;
  environment?: Record<string, string>;
  entrypoint?: string[];
  labels?: Record<string, string>;
  deploy?: { resources?: { limits?: { cpus?: string; memory?: string } }; labels?: Record<string, string> };
}

interface ComposeFile {
  services: Record<string, Service>;
  networks: Record<string, { internal?: boolean; driver?: string }>;
}

const load = (file: string) => parse(readFileSync(file, 'utf8'), { merge: true }) as ComposeFile;
const compose = load(COMPOSE_FILE);
const stack = load(STACK_FILE);
const stackPorts = load(STACK_PORTS_FILE);

/** Services that run as root, and why; every other one must not. */
const ROOT_ALLOWED: Record<string, string> = {
  'docker-api': 'opens the root-owned Docker socket (no capabilities, read-only, internal network only)',
  cadvisor: 'reads cgroup files and /var/lib/docker, which only root may',
};

/** The services the CI subset runs from images built on the machine (infra/images/build.sh). */
const CORE = ['docker-api', 'balancer', 'backend', 'backend-slow', 'prometheus', 'node-exporter'];
const SEED = ['balancer', 'backend', 'prometheus', 'grafana', 'cadvisor', 'node-exporter', 'locust', 'locust-exporter', 'influxdb'];

const volumeSource = (volume: NonNullable<Service['volumes']>[number]) => (typeof volume === 'string' ? volume.split(':')[0]! : (volume.source ?? ''));
const volumeReadOnly = (volume: NonNullable<Service['volumes']>[number]) => (typeof volume === 'string' ? /:ro(,|$)/.test(volume) : volume.read_only === true);
const volumeTarget = (volume: NonNullable<Service['volumes']>[number]) => (typeof volume === 'string' ? volume.split(':')[1]! : volume.target);

describe.each([
  ['infra/compose.yaml', compose],
  ['infra/stack.yaml', stack],
])('%s', (_file, file) => {
  const services = Object.entries(file.services);

  it.each(services)('%s: non-root, read-only, no capabilities, limited', (name, service) => {
    expect(service.user, `${name} names its user`).toMatch(/^\d+:\d+$/);
    if (!(name in ROOT_ALLOWED)) expect(service.user?.startsWith('0:'), `${name} runs as root`).toBe(false);
    expect(service.read_only).toBe(true);
    expect(service.cap_drop).toEqual(['ALL']);
    expect(service.cap_add).toBeUndefined();
    expect(service.privileged).toBeUndefined();
    expect(service.network_mode).toBeUndefined();
    expect(service.pid).toBeUndefined();
    expect(service.deploy?.resources?.limits?.memory).toMatch(/^\d+[MG]$/);
    expect(Number(service.deploy?.resources?.limits?.cpus)).toBeGreaterThan(0);
    expect(service.image, 'every image can be replaced from the environment').toMatch(/^\$\{[A-Z_]+_IMAGE:-[^}]+\}$/);
  });

  it('lets only docker-api near the Docker socket, read-only; services that mount / hide its /run', () => {
    for (const [name, service] of services) {
      for (const volume of service.volumes ?? []) {
        const source = volumeSource(volume);
        expect(source, `${name} mounts the socket file itself (it goes stale when dockerd restarts)`).not.toMatch(/docker\.sock/);
        if (/DOCKER_SOCKET_DIR|^\/(var\/)?run$/.test(source)) {
          expect(name).toBe('docker-api');
          expect(volumeReadOnly(volume)).toBe(true);
        }
        if (source === '/') {
          expect(volumeReadOnly(volume), `${name} mounts / writable`).toBe(true);
          const masks = [...(service.tmpfs ?? []), ...(service.volumes ?? []).filter((v) => typeof v !== 'string' && v.type === 'tmpfs').map(volumeTarget)];
          expect(
            masks.map((m) => m.split(':')[0]),
            `${name} mounts the host's / without hiding its /run`,
          ).toContain(`${volumeTarget(volume)}/run`);
        }
      }
    }
    expect(file.services['docker-api']?.networks).toEqual(['docker-api']);
    expect(file.networks['docker-api']?.internal).toBe(true);
  });

  it('keeps backends off the public network and the backend network internal', () => {
    expect(file.networks.backend?.internal).toBe(true);
    for (const name of ['backend', 'backend-slow']) expect(file.services[name]?.networks).not.toContain('public');
  });

  it('labels backend and backend-slow for one pool with different weights', () => {
    for (const [name, weight] of [
      ['backend', '3'],
      ['backend-slow', '1'],
    ] as const) {
      const service = file.services[name]!;
      // Compose reads container labels; a swarm's balancer reads service labels.
      const labels = file === stack ? service.deploy?.labels : service.labels;
      expect(labels).toMatchObject({
        'lbpoc.enable': 'true',
        'lbpoc.port': '5000',
        'lbpoc.pool': '${LBPOC_POOL:-web}',
        'lbpoc.network': 'backend',
        'lbpoc.health.path': '/health',
        'lbpoc.metrics.port': '8000',
        'lbpoc.weight': weight,
      });
    }
    expect(file.services.balancer?.environment).toMatchObject({ DISCOVERY: 'docker', DOCKER_HOST: 'tcp://docker-api:2375', DOCKER_POOL: '${LBPOC_POOL:-web}' });
  });
});

describe('infra/compose.yaml', () => {
  const services = Object.entries(compose.services);

  it('has the seed stack, and only the services runnable from local images outside the `full` profile', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining([...SEED, ...CORE]));
    for (const [name, service] of services) {
      if (CORE.includes(name)) expect(service.profiles, `${name} is in the CI subset`).toBeUndefined();
      else expect(service.profiles, `${name} needs a registry image`).toEqual(['full']);
    }
  });

  it('publishes only the balancer traffic port beyond 127.0.0.1', () => {
    const open: string[] = [];
    for (const [name, service] of services) {
      for (const port of service.ports ?? []) {
        expect(typeof port, `${name}: short syntax, so the host address is visible`).toBe('string');
        if (!String(port).startsWith('127.0.0.1:')) open.push(`${name} ${String(port)}`);
      }
    }
    expect(open).toEqual(['balancer ${LBPOC_PUBLIC_BIND:-0.0.0.0}:${LBPOC_PUBLIC_PORT:-5000}:5000']);
  });

  it('sets no-new-privileges everywhere', () => {
    for (const [name, service] of services) expect(service.security_opt, name).toContain('no-new-privileges:true');
  });

  it('gives Grafana no default credentials and no anonymous access', () => {
    const grafana = compose.services.grafana!;
    const env = grafana.environment ?? {};
    // Empty when unset, never a default: the entrypoint refuses to start Grafana without one
    // (docker-compose 1.29 interpolates every profile, so a `:?` would stop the core stack).
    expect(env.GF_SECURITY_ADMIN_PASSWORD).toBe('${GRAFANA_ADMIN_PASSWORD:-}');
    const [shell, flag, script, ...rest] = grafana.entrypoint ?? [];
    expect([shell, flag, rest]).toEqual(['/bin/sh', '-c', ['grafana']]);
    expect(script).toMatch(
      /^if \[ -z "\$\$GF_SECURITY_ADMIN_PASSWORD" \] \|\| \[ "\$\$GF_SECURITY_ADMIN_PASSWORD" = admin \]; then .* exit 64; fi; exec \/run\.sh "\$\$@"$/s,
    );
    expect(env.GF_AUTH_ANONYMOUS_ENABLED).toBe('false');
    expect(env.GF_AUTH_ANONYMOUS_ORG_ROLE).toBeUndefined();
    expect(env.GF_USERS_ALLOW_SIGN_UP).toBe('false');
    expect(JSON.stringify(env)).not.toMatch(/admin\/admin|PASSWORD[^}]*:-[^}]/);
  });

  it('is valid for docker-compose with no variable set, the core and the full profile', async () => {
    const env = { ...process.env };
    delete env.GRAFANA_ADMIN_PASSWORD;
    await run('docker-compose', ['-f', COMPOSE_FILE, 'config', '--quiet'], { env, cwd: REPO_ROOT });
    await run('docker-compose', ['-f', COMPOSE_FILE, '--profile', 'full', 'config', '--quiet'], { env, cwd: REPO_ROOT });
  });
});

describe('infra/stack.yaml', () => {
  it('publishes nothing itself; stack.ports.yaml publishes only the balancer traffic port', () => {
    for (const [name, service] of Object.entries(stack.services)) expect(service.ports, name).toBeUndefined();
    expect(Object.keys(stackPorts.services)).toEqual(['balancer']);
    expect(stackPorts.services.balancer?.ports).toEqual([{ target: 5000, published: '${LBPOC_PUBLIC_PORT:-5000}', protocol: 'tcp', mode: 'host' }]);
  });

  it('runs the balancer in swarm mode over overlay networks', () => {
    expect(stack.services.balancer?.environment?.DOCKER_MODE).toBe('swarm');
    for (const network of Object.values(stack.networks)) expect(network.driver).toBe('overlay');
  });
});

describe.each(['apps/balancer/Dockerfile', 'apps/backend/Dockerfile', 'infra/images/docker-api-proxy/Dockerfile'])('%s', (path) => {
  const text = readFileSync(`${REPO_ROOT}${path}`, 'utf8');
  const instructions = text.split('\n').filter((line) => /^[A-Z]+\s/.test(line));

  it('builds on ARG NODE_IMAGE and installs nothing', () => {
    expect(instructions.slice(0, 2)).toEqual(['ARG NODE_IMAGE=node:24-slim', 'FROM ${NODE_IMAGE}']);
    expect(instructions.filter((line) => line.startsWith('RUN '))).toEqual([]);
  });

  it('uses the exec form for CMD and HEALTHCHECK (the local base image has no shell), with node, not curl', () => {
    const cmd = instructions.find((line) => line.startsWith('CMD '));
    expect(cmd).toMatch(/^CMD \["node",/);
    expect(text).toMatch(/HEALTHCHECK [^\n]*\\\n\s+CMD \["node", "-e", "fetch\(/);
  });

  it('runs as a numeric non-root user, unless it is the socket proxy', () => {
    const user = instructions.find((line) => line.startsWith('USER '));
    expect(user).toBe(path.includes('docker-api-proxy') ? 'USER 0:0' : 'USER 1000:1000');
  });
});

describe('.dockerignore', () => {
  it('sends only the bundles and the proxy to the daemon', () => {
    const lines = readFileSync(`${REPO_ROOT}.dockerignore`, 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(lines[0]).toBe('*');
    expect(lines.slice(1).every((line) => line.startsWith('!apps/') || line.startsWith('!infra/images/docker-api-proxy/'))).toBe(true);
  });
});
