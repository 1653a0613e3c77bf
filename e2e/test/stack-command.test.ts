import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../test-support/free-port.js';
import { docker, type EngineInfo, engineEnv, loadEngine } from '../src/private-engine.js';
import { COMPOSE_FILE, REPO_ROOT } from '../src/repo.js';
import { run } from '../src/run.js';

/**
 * `pnpm stack` (scripts/stack/stack.mjs) on this run's private engine, as a user runs it:
 * `up` picks the local Prometheus and node exporter images by itself, starts the core,
 * waits for the balancer and prints where everything is; `full` makes the Grafana
 * password file and hands the password to Grafana, leaving out (by name) the services
 * whose image is not here (Locust and InfluxDB run from their local builds when present); `status` reports; `down` removes the containers and keeps the
 * volumes. Grafana cannot run here: a stand-in image with Grafana's entrypoint path
 * (/run.sh, made from the host's dash) shows what the compose file's guard lets through.
 * The images were built by the global setup (infra/images/build.sh), so --no-build.
 */
const STACK = `${REPO_ROOT}scripts/stack/stack.mjs`;
const GRAFANA_STAND_IN = 'lbpoc-e2e/grafana-stand-in:local';

let engine: EngineInfo;
let project: string;
let ports: { balancer: number; admin: number; prometheus: number; nodeExporter: number; grafana: number };
let secrets: string;
let env: NodeJS.ProcessEnv;

interface StackRun {
  code: number | null;
  out: string;
  seconds: number;
}

/** node scripts/stack/stack.mjs <args>, bounded; stdout and stderr together. */
function stack(args: string[], timeoutMs = 180_000, extra: NodeJS.ProcessEnv = {}): Promise<StackRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [STACK, ...args], { cwd: REPO_ROOT, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const report = (what: string, result: StackRun) => process.stdout.write(`pnpm stack ${what}: exit ${result.code} in ${result.seconds.toFixed(1)} s\n`);

/** The run's output, and when it failed the services' last log lines: what a failure message needs. */
async function explain(result: StackRun): Promise<string> {
  if (result.code === 0) return result.out;
  const logs = await run('docker-compose', ['-p', project, '-f', COMPOSE_FILE, 'logs', '--no-color', '--tail', '20', 'balancer', 'docker-api'], {
    env,
    cwd: REPO_ROOT,
    timeoutMs: 30_000,
  }).then(
    ({ stdout, stderr }) => stdout + stderr,
    (error: Error) => error.message,
  );
  return `${result.out}\n--- logs:\n${logs}`;
}

async function projectContainers(all = false): Promise<string[]> {
  const out = await docker(engine, [
    'ps',
    ...(all ? ['-a'] : []),
    '--filter',
    `label=com.docker.compose.project=${project}`,
    '--format',
    '{{.Label "com.docker.compose.service"}}',
  ]);
  return out.split('\n').filter(Boolean).sort();
}

beforeAll(async () => {
  engine = loadEngine(inject('engineDir'));
  project = `lbpoc-e2e-stack-${process.pid}`;
  ports = { balancer: await freePort(), admin: await freePort(), prometheus: await freePort(), nodeExporter: await freePort(), grafana: await freePort() };
  secrets = mkdtempSync(join(tmpdir(), 'lbpoc-e2e-stack-secrets-'));
  const base = engineEnv(engine, {
    COMPOSE_PROJECT_NAME: project,
    DOCKER_SOCKET_DIR: engine.socketDir,
    LBPOC_PUBLIC_BIND: '127.0.0.1',
    LBPOC_PUBLIC_PORT: String(ports.balancer),
    LBPOC_ADMIN_PORT: String(ports.admin),
    PROMETHEUS_PORT: String(ports.prometheus),
    NODE_EXPORTER_PORT: String(ports.nodeExporter),
    GRAFANA_PORT: String(ports.grafana),
    GRAFANA_IMAGE: GRAFANA_STAND_IN,
    GRAFANA_ADMIN_PASSWORD_FILE: join(secrets, 'grafana-admin-password'),
  });
  // The command must choose the images itself, and find no password in the environment.
  for (const name of ['PROMETHEUS_IMAGE', 'NODE_EXPORTER_IMAGE', 'GRAFANA_ADMIN_PASSWORD']) delete base[name];
  env = base;

  // Grafana's place: /run.sh (the official image's entrypoint) says what it was given and waits.
  const runSh = join(secrets, 'run.sh');
  writeFileSync(
    runSh,
    '#!/bin/sh\necho "stand-in Grafana: admin user $GF_SECURITY_ADMIN_USER, password of ${#GF_SECURITY_ADMIN_PASSWORD} characters"\ntrap "exit 0" TERM INT\n/bin/sleep 600 & wait\n',
  );
  chmodSync(runSh, 0o755);
  await run('bash', [`${REPO_ROOT}infra/images/rootfs-image.sh`, GRAFANA_STAND_IN, '/bin/dash:/bin/sh', '/bin/sleep:/bin/sleep', `${runSh}:/run.sh`], {
    env: engineEnv(engine),
    timeoutMs: 60_000,
  });
}, 120_000);

afterAll(async () => {
  if (env) {
    await run('docker-compose', ['-p', project, '-f', COMPOSE_FILE, '--profile', 'full', 'down', '--volumes', '--remove-orphans', '--timeout', '5'], {
      env,
      cwd: REPO_ROOT,
      timeoutMs: 120_000,
    }).catch(() => {});
  }
  if (secrets) rmSync(secrets, { recursive: true, force: true });
});

describe('pnpm stack', () => {
  it('up: starts the core with the local Prometheus and node exporter, waits for the balancer, prints the URLs', async () => {
    const up = await stack(['up', '--no-build', '--wait', '90']);
    report('up', up);
    expect(up.code, await explain(up)).toBe(0);
    expect(up.out).toContain('using lbpoc/prometheus:local');
    expect(up.out).toContain('using lbpoc/node-exporter:local');
    expect(up.out).toContain(`the balancer answers on http://127.0.0.1:${ports.balancer}/`);
    expect(up.out).toMatch(new RegExp(`admin +http://127\\.0\\.0\\.1:${ports.admin}/  /backends  /metrics +answers`));
    expect(up.out).toMatch(new RegExp(`Prometheus +http://127\\.0\\.0\\.1:${ports.prometheus}/ +answers`));
    expect(up.out).toMatch(new RegExp(`node exporter +http://127\\.0\\.0\\.1:${ports.nodeExporter}/metrics +answers`));
    expect(up.out, 'up starts the core only').not.toMatch(/leaving out|Grafana/);
    expect(await projectContainers()).toEqual(['backend', 'backend', 'backend', 'backend-slow', 'balancer', 'docker-api', 'node-exporter', 'prometheus']);
    const answer = await fetch(`http://127.0.0.1:${ports.balancer}/?algo=weighted_round_robin`);
    expect(answer.status).toBe(200);
  });

  it('full: makes the password file once, gives Grafana the password, names what it leaves out', async () => {
    const full = await stack(['full', '--no-build', '--wait', '60']);
    report('full', full);
    expect(full.code, await explain(full)).toBe(0);
    const file = join(secrets, 'grafana-admin-password');
    const password = readFileSync(file, 'utf8').trim();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(full.out).toContain(`Grafana admin password: made, in ${file} (mode 0600)`);
    expect(full.out, 'the password itself is never printed').not.toContain(password);
    // Locust and InfluxDB run from lbpoc/*:local when this engine has them (the full-profile
    // test imports them; files run in no fixed order), else they are left out by name.
    const local = new Set((await docker(engine, ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'])).split('\n'));
    for (const name of ['cadvisor', 'influxdb', 'locust', 'locust-exporter']) {
      if (local.has(`lbpoc/${name}:local`)) expect(full.out).toMatch(new RegExp(`using lbpoc/${name}:local \\(Debian's`));
      else expect(full.out).toMatch(new RegExp(`leaving out ${name}: its image \\S+ is not on this machine and could not be pulled`));
    }
    if (!local.has('lbpoc/influxdb:local')) expect(full.out).toContain('starting grafana without influxdb');
    expect(full.out).toMatch(new RegExp(`Grafana +http://127\\.0\\.0\\.1:${ports.grafana}/ .*password in ${file.replace(/[.]/g, '\\.')}`));

    const grafana = (
      await docker(engine, ['ps', '-q', '--filter', `label=com.docker.compose.project=${project}`, '--filter', 'label=com.docker.compose.service=grafana'])
    ).trim();
    expect(grafana, 'a grafana container runs').not.toBe('');
    const logs = await run('docker', ['logs', grafana], { env });
    expect(logs.stdout + logs.stderr).toContain(`stand-in Grafana: admin user admin, password of ${password.length} characters`);
  });

  it("Grafana's guard: no password in the environment, no Grafana", async () => {
    // What a hand-typed `docker-compose --profile full up` without GRAFANA_ADMIN_PASSWORD gets.
    const refused = await run('docker-compose', ['-p', project, '-f', COMPOSE_FILE, '--profile', 'full', 'run', '--rm', '--no-deps', 'grafana'], {
      env: { ...env, GRAFANA_ADMIN_PASSWORD: '' },
      cwd: REPO_ROOT,
      timeoutMs: 60_000,
    }).then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/exit 64/);
    expect(refused).toContain('grafana: refusing to start without an admin password');
  });

  it('status: every service and the URLs', async () => {
    const status = await stack(['status'], 60_000);
    report('status', status);
    expect(status.code, status.out).toBe(0);
    expect(status.out).toContain(`project "${project}"`);
    // Health is reported as Docker has it (a loaded machine can make a check time out).
    for (const service of ['backend-slow', 'balancer', 'docker-api', 'grafana', 'node-exporter', 'prometheus'])
      expect(status.out).toMatch(new RegExp(`^  ${service} +running`, 'm'));
    const backends = /^ {2}backend +(.*)$/m.exec(status.out)?.[1] ?? '';
    expect(
      [...backends.matchAll(/(?:(\d+) )?running/g)].reduce((sum, m) => sum + Number(m[1] ?? 1), 0),
      backends,
    ).toBe(3);
    expect(status.out).toMatch(new RegExp(`balancer +http://127\\.0\\.0\\.1:${ports.balancer}/ +answers`));
  });

  it('down: removes the containers, keeps the volumes', async () => {
    const down = await stack(['down'], 120_000);
    report('down', down);
    expect(down.code, down.out).toBe(0);
    expect(await projectContainers(true)).toEqual([]);
    const volumes = await docker(engine, ['volume', 'ls', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Name}}']);
    expect(volumes.split('\n').filter(Boolean).sort()).toEqual([`${project}_grafana-data`, `${project}_influxdb-data`, `${project}_prometheus-data`]);
    const status = await stack(['status'], 60_000);
    expect(status.out).toContain(`nothing of the project "${project}" is running`);
  });
});
