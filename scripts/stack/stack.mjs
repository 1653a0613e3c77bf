#!/usr/bin/env node
/**
 * The Docker stack in one command (infra/compose.yaml):
 *
 *   pnpm stack up        # build what is needed, start the core, wait for the balancer, print the URLs
 *   pnpm stack full      # + Grafana, cAdvisor, Locust, InfluxDB (profile `full`)
 *   pnpm stack status    # the services' state and the URLs
 *   pnpm stack down      # stop and remove (volumes kept; --volumes removes them)
 *
 * `pnpm stack --help` for the options. The pure parts are in lib.mjs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  composeDefault,
  containersFromInspect,
  describeServices,
  ensurePasswordFile,
  normalizeImage,
  parseArgs,
  parseComposeConfig,
  projectName,
  publishedAddress,
  servicesInProfiles,
  startableServices,
  USAGE,
  UsageError,
} from './lib.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COMPOSE_FILE = join(ROOT, 'infra/compose.yaml');
const PASSWORD_FILE = process.env.GRAFANA_ADMIN_PASSWORD_FILE || join(ROOT, 'infra/.secrets/grafana-admin-password');
const TAG = process.env.LBPOC_IMAGE_TAG || 'local';
const PROJECT = projectName(process.env.COMPOSE_PROJECT_NAME);
/** Registry images with a stand-in infra/images/build.sh makes from Debian's binaries. */
const LOCAL_STAND_INS = [
  { variable: 'PROMETHEUS_IMAGE', image: `lbpoc/prometheus:${TAG}`, from: "Debian's prometheus" },
  { variable: 'NODE_EXPORTER_IMAGE', image: `lbpoc/node-exporter:${TAG}`, from: "Debian's prometheus-node-exporter" },
  // Built only when asked (infra/images/build.sh --full: debootstrap, a few minutes once).
  { variable: 'LOCUST_IMAGE', image: `lbpoc/locust:${TAG}`, from: "Debian's python3-locust" },
  { variable: 'INFLUXDB_IMAGE', image: `lbpoc/influxdb:${TAG}`, from: "Debian's influxdb" },
];
/** What to print for each published port, in order. */
const ENDPOINTS = [
  { service: 'balancer', port: 5000, title: 'balancer', paths: ['/'], note: 'try /?algo=weighted_round_robin' },
  { service: 'balancer', port: 8000, title: 'admin', paths: ['/', '/backends', '/metrics'] },
  { service: 'prometheus', port: 9090, title: 'Prometheus', paths: ['/'] },
  { service: 'node-exporter', port: 9100, title: 'node exporter', paths: ['/metrics'] },
  { service: 'grafana', port: 3000, title: 'Grafana', paths: ['/'], full: true },
  { service: 'locust', port: 8089, title: 'Locust', paths: ['/'], full: true },
  { service: 'influxdb', port: 8086, title: 'InfluxDB', paths: ['/ping'], note: 'database locust', full: true },
  { service: 'cadvisor', port: 8080, title: 'cAdvisor', paths: ['/'], full: true },
];

class Failure extends Error {}

const say = (line = '') => process.stdout.write(`${line}\n`);
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Runs a command; output captured unless `show`. Never throws on a non-zero exit. */
function exec(command, args, { show = false, env = process.env, timeoutMs = 600_000 } = {}) {
  const result = spawnSync(command, args, {
    cwd: ROOT,
    env,
    stdio: show ? 'inherit' : 'pipe',
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error?.code === 'ENOENT') return { status: null, missing: true, stdout: '', stderr: '' };
  if (result.error?.code === 'ETIMEDOUT') throw new Failure(`${command} ${args.join(' ')} did not finish within ${timeoutMs / 1000} s`);
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

function lastLines(text, count = 12) {
  return text.trim().split('\n').slice(-count).join('\n');
}

/** docker on PATH, an engine answering, and (unless `compose` is false) a compose: v1 `docker-compose` or v2 `docker compose`. */
function requireDocker({ compose = true } = {}) {
  const info = exec('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 30_000 });
  if (info.missing) {
    throw new Failure(
      'docker is not installed (no `docker` command on PATH). On Debian: bash .ci/docker.sh installs docker.io and docker-compose and starts the engine.',
    );
  }
  if (info.status !== 0) {
    throw new Failure(
      `the Docker engine does not answer (docker info failed${process.env.DOCKER_HOST ? `, DOCKER_HOST=${process.env.DOCKER_HOST}` : ''}):\n${lastLines(info.stderr, 5)}\nStart it (bash .ci/docker.sh starts dockerd) and run this again.`,
    );
  }
  if (!compose) return ['docker-compose'];
  const v1 = exec('docker-compose', ['version', '--short'], { timeoutMs: 30_000 });
  if (!v1.missing && v1.status === 0) return ['docker-compose'];
  const v2 = exec('docker', ['compose', 'version', '--short'], { timeoutMs: 30_000 });
  if (v2.status === 0) return ['docker', 'compose'];
  throw new Failure('neither `docker-compose` nor the `docker compose` plugin is installed (Debian: apt-get install docker-compose).');
}

function composer(compose, profiles, env) {
  const base = [...compose.slice(1), '-f', COMPOSE_FILE, ...profiles.flatMap((p) => ['--profile', p])];
  const run = (args, options = {}) => exec(compose[0], [...base, ...args], { env, ...options });
  const show = `${compose.join(' ')} -f infra/compose.yaml${profiles.map((p) => ` --profile ${p}`).join('')}`;
  return { run, show };
}

/** The project's containers, running or not (docker itself: docker-compose v1 takes seconds a call). */
function stackContainers() {
  const ids = exec('docker', ['ps', '-a', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`])
    .stdout.split('\n')
    .filter(Boolean);
  if (ids.length === 0) return [];
  const inspect = exec('docker', ['inspect', ...ids]);
  return inspect.status === 0 ? containersFromInspect(inspect.stdout) : [];
}

function presentImages() {
  const listed = exec('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
  return new Set(listed.stdout.split('\n').filter((line) => line && !line.includes('<none>')));
}

/** Prometheus, node exporter, Locust and InfluxDB: the official image if it is here, else the local stand-in if built. */
function imageOverrides(images) {
  const composeText = readFileSync(COMPOSE_FILE, 'utf8');
  const env = {};
  for (const { variable, image, from } of LOCAL_STAND_INS) {
    if (process.env[variable]) continue;
    const official = composeDefault(composeText, variable);
    if (images.has(normalizeImage(official))) continue;
    if (images.has(image)) {
      env[variable] = image;
      say(`stack: ${official} is not on this machine: using ${image} (${from}, built by infra/images/build.sh)`);
    }
  }
  return env;
}

function build() {
  let started = Date.now();
  say('stack: pnpm build (balancer, backend) ...');
  const pnpm = exec('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@lbpoc/balancer', '--filter=@lbpoc/backend', '--output-logs=errors-only'], {
    show: true,
  });
  if (pnpm.missing) throw new Failure('pnpm is not on PATH: run this as `pnpm stack ...` (or --no-build with images built already)');
  if (pnpm.status !== 0) throw new Failure('the build failed (above); fix it, or start from the images as they are with --no-build');
  say(`stack: built in ${seconds(started)}`);
  started = Date.now();
  say('stack: bash infra/images/build.sh (images, offline) ...');
  const images = exec('bash', ['infra/images/build.sh'], { show: true });
  if (images.status !== 0) throw new Failure('infra/images/build.sh failed (above)');
  say(`stack: images ready in ${seconds(started)}`);
}

function grafanaPassword() {
  if (process.env.GRAFANA_ADMIN_PASSWORD) {
    say('stack: Grafana admin password: from GRAFANA_ADMIN_PASSWORD (the environment)');
    return { password: process.env.GRAFANA_ADMIN_PASSWORD, where: 'GRAFANA_ADMIN_PASSWORD', created: false };
  }
  const { password, created, warning } = ensurePasswordFile(PASSWORD_FILE);
  say(`stack: Grafana admin password: ${created ? 'made, in' : 'from'} ${PASSWORD_FILE} (mode 0600)`);
  if (warning) say(`stack: warning: ${warning}`);
  return { password, where: PASSWORD_FILE, created };
}

async function probe(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000), redirect: 'manual' });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}

/** The balancer's published traffic port, polled until it answers 200 or `waitSeconds` pass. */
async function waitForBalancer(compose, waitSeconds) {
  const started = Date.now();
  const deadline = started + waitSeconds * 1000;
  let address;
  let last = 'no answer';
  while (Date.now() < deadline) {
    address ??= publishedAddress(stackContainers(), 'balancer', 5000);
    if (address) {
      const status = await probe(`http://${address}/`);
      if (status === 200) {
        say(`stack: the balancer answers on http://${address}/ (after ${seconds(started)})`);
        return;
      }
      last = status === undefined ? 'no answer' : `HTTP ${status}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Failure(
    `the balancer did not come up: ${address ? `http://${address}/ gave ${last}` : 'its port 5000 is not published (its container is not running)'} after ${waitSeconds} s.\n` +
      `${describeServices(stackContainers())
        .map((line) => `  ${line}`)
        .join('\n')}\n` +
      `See the logs:  ${compose.show} logs --tail 50 balancer docker-api backend`,
  );
}

async function printEndpoints({ full, passwordWhere }) {
  const containers = stackContainers();
  say('');
  for (const endpoint of ENDPOINTS) {
    const address = publishedAddress(containers, endpoint.service, endpoint.port);
    if (endpoint.full && !full && !address) continue;
    const url = address ? `http://${address}` : undefined;
    let state = 'not running';
    if (url) state = (await probe(`${url}${endpoint.paths[0]}`)) === undefined ? 'running, not answering yet' : 'answers';
    const notes = [
      endpoint.note,
      endpoint.service === 'grafana' ? `user ${process.env.GRAFANA_ADMIN_USER || 'admin'}, password in ${passwordWhere}` : undefined,
    ].filter(Boolean);
    const where = url ? endpoint.paths.map((path, i) => (i === 0 ? `${url}${path}` : path)).join('  ') : `(port ${endpoint.port})`;
    say(`  ${endpoint.title.padEnd(14)} ${where.padEnd(48)} ${state}${notes.length ? `; ${notes.join('; ')}` : ''}`);
  }
  say('');
}

async function up({ full, noBuild, waitSeconds }) {
  const started = Date.now();
  const composeCommand = requireDocker();
  if (!noBuild) build();
  const env = { ...process.env };
  let passwordWhere = PASSWORD_FILE;
  if (full) {
    const grafana = grafanaPassword();
    env.GRAFANA_ADMIN_PASSWORD = grafana.password;
    passwordWhere = grafana.where;
    if (grafana.created) {
      say(
        `stack: (Grafana keeps the admin password of its first start in the volume ${PROJECT}_grafana-data: if it ran before with another one, \`pnpm stack down --volumes\` resets it, deleting its data)`,
      );
    }
  }
  let images = presentImages();
  Object.assign(env, imageOverrides(images));
  const compose = composer(composeCommand, full ? ['full'] : [], env);

  const config = compose.run(['config']);
  if (config.status !== 0) throw new Failure(`${compose.show} config failed:\n${lastLines(config.stderr)}`);
  // `config` lists every service, whatever the profiles: keep those this run starts.
  const services = servicesInProfiles(parseComposeConfig(config.stdout), full ? ['full'] : []);
  const missing = [...services].filter(([, service]) => service.image && !images.has(normalizeImage(service.image))).map(([name]) => name);
  if (missing.length > 0) {
    say(`stack: pulling ${missing.join(', ')} (not on this machine) ...`);
    compose.run(['pull', '--ignore-pull-failures', '--quiet', ...missing], { timeoutMs: 900_000 });
    images = presentImages();
  }
  const { start, skipped, without } = startableServices(services, images);
  for (const { name, reason } of skipped) say(`stack: leaving out ${name}: ${reason}`);
  for (const { name, missing } of without) say(`stack: starting ${name} without ${missing.join(', ')}`);
  for (const name of ['docker-api', 'balancer', 'backend']) {
    if (!start.includes(name)) {
      throw new Failure(
        `${name} cannot start (${skipped.find((s) => s.name === name)?.reason}): run without --no-build, which builds the images with infra/images/build.sh`,
      );
    }
  }

  const upStarted = Date.now();
  // Everything here: compose's own `up`. Something left out: the rest by name, and
  // --no-deps so compose does not go looking for what is left out.
  const upArgs = ['up', '-d', '--remove-orphans', ...(skipped.length ? ['--no-deps', ...start] : [])];
  say(`stack: ${compose.show} ${upArgs.join(' ')}`);
  let result = compose.run(upArgs, { show: true, timeoutMs: 900_000 });
  if (result.status !== 0) {
    // compose stops at a dependency whose health check failed (docker-api, the balancer's),
    // also one already running: give it a bounded chance to recover, then try once more.
    const unhealthy = [
      ...new Set(
        stackContainers()
          .filter((c) => c.health === 'unhealthy')
          .map((c) => c.service),
      ),
    ];
    if (unhealthy.length > 0) {
      say(`stack: ${unhealthy.join(', ')} failed its health check; waiting up to 60 s for it to pass, then trying once more`);
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && stackContainers().some((c) => unhealthy.includes(c.service) && c.health === 'unhealthy')) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      result = compose.run(upArgs, { show: true, timeoutMs: 900_000 });
    }
  }
  if (result.status !== 0) throw new Failure(`${compose.show} up failed (above); the services' logs:  ${compose.show} logs --tail 50`);
  say(`stack: containers started in ${seconds(upStarted)}`);
  await waitForBalancer(compose, waitSeconds);
  await printEndpoints({ full, passwordWhere });
  if (skipped.length) say(`Left out (no image here): ${skipped.map((s) => s.name).join(', ')}.`);
  say(`Ready in ${seconds(started)}.  pnpm stack status | pnpm stack down${full ? '' : ' | pnpm stack full'}`);
}

async function status() {
  // docker alone: docker-compose v1 takes seconds a call. Named in the output only.
  const compose = composer(requireDocker({ compose: false }), ['full'], process.env);
  const containers = stackContainers();
  if (containers.length === 0) {
    say(`stack: nothing of the project "${PROJECT}" is running (pnpm stack up | pnpm stack full)`);
    return;
  }
  say(`stack: project "${PROJECT}" (${compose.show}):`);
  for (const line of describeServices(containers)) say(`  ${line}`);
  const full = containers.some((c) => ['grafana', 'locust', 'influxdb', 'cadvisor', 'locust-exporter'].includes(c.service));
  const passwordWhere = process.env.GRAFANA_ADMIN_PASSWORD
    ? 'GRAFANA_ADMIN_PASSWORD'
    : existsSync(PASSWORD_FILE)
      ? PASSWORD_FILE
      : `${PASSWORD_FILE} (not made yet: pnpm stack full)`;
  await printEndpoints({ full, passwordWhere });
}

function down({ volumes }) {
  const compose = composer(requireDocker(), ['full'], process.env);
  const args = ['down', '--remove-orphans', ...(volumes ? ['--volumes'] : [])];
  say(`stack: ${compose.show} ${args.join(' ')}`);
  const result = compose.run(args, { show: true });
  if (result.status !== 0) throw new Failure(`${compose.show} down failed (above)`);
  say(volumes ? 'stack: down; volumes removed' : 'stack: down; volumes kept (pnpm stack down --volumes removes them)');
}

async function main(argv) {
  let args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`stack: ${error.message} (pnpm stack --help for the options)\n`);
    return 2;
  }
  if (args.help) {
    say(USAGE);
    return 0;
  }
  try {
    if (args.command === 'up' || args.command === 'full') await up({ ...args, full: args.command === 'full' });
    else if (args.command === 'status') await status();
    else down(args);
    return 0;
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    process.stderr.write(`stack: ${error.message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
