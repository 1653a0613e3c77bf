/**
 * The parts of `pnpm stack` that need no Docker: argument handling, the Grafana password
 * file, reading `docker-compose config`, choosing what can start. stack.mjs wires them to
 * docker and docker-compose; infra/test/stack-command.test.ts tests them.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export const COMMANDS = ['up', 'full', 'status', 'down'];

/** Options each command takes; a value of `true` means the option carries a value. */
const OPTIONS = {
  up: { '--no-build': false, '--wait': true },
  full: { '--no-build': false, '--wait': true },
  status: {},
  down: { '--volumes': false },
};

export const USAGE = `usage: pnpm stack <command> [options]

  up       build what is needed (pnpm build, infra/images/build.sh), start the core stack
           (balancer, backends, docker-api, Prometheus, node exporter), wait for the
           balancer, print the URLs
  full     the same with the \`full\` profile: + Grafana, cAdvisor, Locust and its exporter,
           InfluxDB; makes Grafana's admin password once (infra/.secrets/grafana-admin-password).
           Services whose image is not on this machine and cannot be pulled are left out, named.
  status   the services' state and the URLs
  down     stop and remove the stack's containers and networks (volumes are kept)

options:
  --no-build        up, full: start from the images as they are (skip both builds)
  --wait SECONDS    up, full: how long to wait for the balancer to answer (default 90)
  --volumes         down: remove the volumes too (Prometheus, Grafana and InfluxDB data)
  -h, --help        this text

The compose file's variables apply (LBPOC_PUBLIC_PORT, PROMETHEUS_IMAGE, ...; infra/compose.yaml),
and COMPOSE_PROJECT_NAME, DOCKER_HOST. GRAFANA_ADMIN_PASSWORD, when set, is used instead of the
password file; GRAFANA_ADMIN_PASSWORD_FILE moves the file.`;

export class UsageError extends Error {}

/**
 * argv (after the script name) -> { command, noBuild, waitSeconds, volumes } or { help: true }.
 * Throws UsageError naming what is wrong and what is allowed.
 */
export function parseArgs(argv) {
  if (argv[0] === 'help' || argv.some((arg) => arg === '-h' || arg === '--help')) return { help: true };
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError(`a command is needed: one of ${COMMANDS.join(', ')}`);
  if (!COMMANDS.includes(command)) throw new UsageError(`unknown command "${command}": use one of ${COMMANDS.join(', ')}`);
  const allowed = OPTIONS[command];
  const result = { command, noBuild: false, waitSeconds: 90, volumes: false };
  for (let i = 0; i < rest.length; i++) {
    const [name, inline] =
      rest[i].startsWith('--') && rest[i].includes('=')
        ? [rest[i].slice(0, rest[i].indexOf('=')), rest[i].slice(rest[i].indexOf('=') + 1)]
        : [rest[i], undefined];
    if (!(name in allowed)) {
      const known = Object.keys(allowed);
      throw new UsageError(`"${command}" does not take "${rest[i]}": ${known.length > 0 ? `its options are ${known.join(', ')}` : 'it takes no options'}`);
    }
    const value = allowed[name] ? (inline ?? rest[++i]) : inline;
    if (!allowed[name] && inline !== undefined) throw new UsageError(`${name} takes no value`);
    if (name === '--no-build') result.noBuild = true;
    if (name === '--volumes') result.volumes = true;
    if (name === '--wait') {
      if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 3600) {
        throw new UsageError(`--wait needs a whole number of seconds from 1 to 3600, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
      }
      result.waitSeconds = Number(value);
    }
  }
  return result;
}

/**
 * The Grafana admin password, from `path`; made (random, 32 characters) the first time,
 * in a folder only the owner can enter and a file only the owner can read (0700 / 0600).
 * Never overwritten: the file is created with O_EXCL. Returns { password, created, warning }.
 */
export function ensurePasswordFile(path, random = randomBytes) {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let created = false;
  try {
    const fd = openSync(path, 'wx', 0o600);
    try {
      fchmodSync(fd, 0o600); // whatever the umask
      writeSync(fd, `${random(24).toString('base64url')}\n`);
    } finally {
      closeSync(fd);
    }
    created = true;
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
  }
  const password = readFileSync(path, 'utf8').trim();
  if (password === '') throw new Error(`${path} is empty: delete it and run again for a new password`);
  if (password === 'admin') throw new Error(`${path} holds Grafana's default password "admin": delete it and run again for a random one`);
  const mode = statSync(path).mode & 0o777;
  const warning = (mode & 0o077) !== 0 ? `${path} can be read by others (mode ${mode.toString(8).padStart(4, '0')}): chmod 600 ${path}` : undefined;
  return { password, created, warning };
}

/** `name:tag` as `docker image ls` shows it (`:latest` when there is no tag). */
export function normalizeImage(reference) {
  if (reference.includes('@')) return reference;
  const lastPart = reference.slice(reference.lastIndexOf('/') + 1);
  return lastPart.includes(':') ? reference : `${reference}:latest`;
}

/** The default of `${VARIABLE:-default}` in the compose file's text. */
export function composeDefault(composeText, variable) {
  const match = new RegExp(`\\$\\{${variable}:-([^}]+)\\}`).exec(composeText);
  if (!match) throw new Error(`infra/compose.yaml has no \${${variable}:-...}`);
  return match[1];
}

/**
 * Services, their image, profiles and what they depend on, from the YAML `docker-compose
 * config` prints (compose v1's and v2's layout: two-space indentation, depends_on as a
 * mapping, lists at their key's indentation or deeper).
 */
export function parseComposeConfig(text) {
  const services = new Map();
  let inServices = false;
  let current;
  let key;
  for (const line of text.split('\n')) {
    if (/^\S/.test(line)) {
      inServices = line === 'services:';
      current = undefined;
      continue;
    }
    if (!inServices) continue;
    let match;
    if ((match = /^ {2}([^\s:][^:]*):\s*$/.exec(line))) {
      current = { image: undefined, dependsOn: [], profiles: [] };
      services.set(match[1], current);
      key = undefined;
    } else if (current && (match = /^ {4}([^\s:-][^:]*):(.*)$/.exec(line))) {
      key = match[1];
      if (key === 'image') current.image = unquote(match[2].trim());
    } else if (current && key === 'depends_on' && (match = /^ {4,6}(?:- )?([^\s:-][^:]*?):?\s*$/.exec(line))) {
      current.dependsOn.push(unquote(match[1]));
    } else if (current && key === 'profiles' && (match = /^ {4,6}- (.+?)\s*$/.exec(line))) {
      current.profiles.push(unquote(match[1]));
    }
  }
  return services;
}

const unquote = (text) => text.replace(/^(['"])(.*)\1$/, '$2');

/** The services compose runs with these profiles on: those with no profile, or one of them. */
export function servicesInProfiles(services, profiles) {
  return new Map([...services].filter(([, service]) => service.profiles.length === 0 || service.profiles.some((p) => profiles.includes(p))));
}

/**
 * Which services can start: those whose image is here. A service that depends on one that
 * cannot start still starts (compose is then told --no-deps), and is listed with what it
 * goes without: Grafana without InfluxDB still shows the Prometheus dashboards.
 * Returns { start: [names], skipped: [{ name, reason }], without: [{ name, missing: [names] }] }.
 */
export function startableServices(services, presentImages) {
  const skipped = [];
  for (const [name, service] of services) {
    if (!service.image) skipped.push({ name, reason: 'it names no image' });
    else if (!presentImages.has(normalizeImage(service.image)))
      skipped.push({ name, reason: `its image ${service.image} is not on this machine and could not be pulled` });
  }
  const out = new Set(skipped.map((s) => s.name));
  const start = [...services.keys()].filter((name) => !out.has(name));
  const without = start
    .map((name) => ({ name, missing: services.get(name).dependsOn.filter((dependency) => out.has(dependency) || !services.has(dependency)) }))
    .filter((entry) => entry.missing.length > 0);
  return { start, skipped, without };
}

/** The address to reach a port published on `bind` from this machine. */
export function reachableHost(bind) {
  if (bind === undefined || bind === '' || bind === '0.0.0.0' || bind === '::' || bind === '[::]') return '127.0.0.1';
  return bind.includes(':') && !bind.startsWith('[') ? `[${bind}]` : bind;
}

/** Compose's project name as compose derives it: COMPOSE_PROJECT_NAME, else the compose file's folder. */
export function projectName(environmentValue, composeFolderName = 'infra') {
  return (environmentValue || composeFolderName).toLowerCase().replace(/[^-_a-z0-9]/g, '');
}

/**
 * The stack's containers from `docker inspect` (JSON) of the project's containers:
 * [{ service, state, health, ports: { "5000/tcp": [{ HostIp, HostPort }] } }].
 */
export function containersFromInspect(inspectJson) {
  return JSON.parse(inspectJson).map((container) => ({
    service: container.Config?.Labels?.['com.docker.compose.service'] ?? '?',
    state: container.State?.Restarting ? 'restarting' : (container.State?.Status ?? 'unknown'),
    health: container.State?.Health?.Status,
    exitCode: container.State?.ExitCode,
    ports: container.NetworkSettings?.Ports ?? {},
  }));
}

/** Where this machine reaches a service's published port ("127.0.0.1:5000"), or undefined. */
export function publishedAddress(containers, service, port) {
  for (const container of containers) {
    if (container.service !== service || container.state !== 'running') continue;
    const binding = (container.ports[`${port}/tcp`] ?? [])[0];
    if (binding?.HostPort) return `${reachableHost(binding.HostIp)}:${binding.HostPort}`;
  }
  return undefined;
}

/** One line per service: "backend  3 running (healthy)", "grafana  restarting (exit 64)". */
export function describeServices(containers) {
  const byService = new Map();
  for (const container of containers) byService.set(container.service, [...(byService.get(container.service) ?? []), container]);
  return [...byService.keys()].sort().map((service) => {
    const groups = new Map();
    for (const c of byService.get(service)) {
      const text = `${c.state}${c.health ? ` (${c.health})` : c.state !== 'running' && c.exitCode ? ` (exit ${c.exitCode})` : ''}`;
      groups.set(text, (groups.get(text) ?? 0) + 1);
    }
    return `${service.padEnd(16)} ${[...groups].map(([text, count]) => (count > 1 ? `${count} ${text}` : text)).join(', ')}`;
  });
}
