import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
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
} from '../../scripts/stack/lib.mjs';
import { REPO } from './support/local-stack.js';

/**
 * `pnpm stack` (scripts/stack/) without a Docker engine: its arguments, its errors, the
 * Grafana password file, and how it reads `docker-compose config` and `docker inspect`.
 * The command against a real engine (up, status, down) is e2e/test/stack-command.test.ts.
 */
const STACK = `${REPO}scripts/stack/stack.mjs`;

function stack(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [STACK, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('pnpm stack: arguments', () => {
  it('is the root package.json script `stack`', () => {
    const scripts = (JSON.parse(readFileSync(`${REPO}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.stack).toBe('node scripts/stack/stack.mjs');
  });

  it('reads each command and its options', () => {
    expect(parseArgs(['up'])).toEqual({ command: 'up', noBuild: false, waitSeconds: 90, volumes: false });
    expect(parseArgs(['full', '--no-build', '--wait', '30'])).toEqual({ command: 'full', noBuild: true, waitSeconds: 30, volumes: false });
    expect(parseArgs(['up', '--wait=5'])).toMatchObject({ waitSeconds: 5 });
    expect(parseArgs(['status'])).toMatchObject({ command: 'status' });
    expect(parseArgs(['down'])).toMatchObject({ command: 'down', volumes: false });
    expect(parseArgs(['down', '--volumes'])).toMatchObject({ command: 'down', volumes: true });
    for (const help of [['--help'], ['-h'], ['help'], ['up', '--help']]) expect(parseArgs(help)).toEqual({ help: true });
  });

  it.each([
    [[], 'a command is needed: one of up, full, status, down'],
    [['start'], 'unknown command "start": use one of up, full, status, down'],
    [['down', '--volume'], '"down" does not take "--volume": its options are --volumes'],
    [['status', '--volumes'], '"status" does not take "--volumes": it takes no options'],
    [['up', '--volumes'], '"up" does not take "--volumes": its options are --no-build, --wait'],
    [['up', '--wait'], '--wait needs a whole number of seconds from 1 to 3600, got nothing'],
    [['up', '--wait', 'soon'], '--wait needs a whole number of seconds from 1 to 3600, got "soon"'],
    [['up', '--no-build=yes'], '--no-build takes no value'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it('exits 2 on an unknown command, naming it and the allowed ones, before touching Docker', () => {
    const { code, stderr, stdout } = stack(['restart'], { PATH: dirname(process.execPath) });
    expect(code).toBe(2);
    expect(stderr).toBe('stack: unknown command "restart": use one of up, full, status, down (pnpm stack --help for the options)\n');
    expect(stdout).toBe('');
  });

  it('prints its usage with --help and exits 0', () => {
    const { code, stdout } = stack(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: pnpm stack <command> \[options\]/);
    for (const command of ['up', 'full', 'status', 'down', '--volumes', '--no-build', '--wait']) expect(stdout).toContain(command);
  });

  it('says so when docker is not installed', () => {
    // node's own folder only: no docker on this PATH.
    const { code, stderr } = stack(['status'], { PATH: dirname(process.execPath) });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^stack: docker is not installed \(no `docker` command on PATH\)\. On Debian: bash \.ci\/docker\.sh/);
  });

  it('says so when the engine does not answer', () => {
    const { code, stderr } = stack(['up', '--no-build'], { DOCKER_HOST: 'unix:///nonexistent/lbpoc-no-engine.sock' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^stack: the Docker engine does not answer \(docker info failed, DOCKER_HOST=unix:\/\/\/nonexistent\/lbpoc-no-engine\.sock\)/);
    expect(stderr).toContain('bash .ci/docker.sh starts dockerd');
  });
});

describe('pnpm stack: the Grafana password file', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is made once, random, mode 0600 in a 0700 folder, and never overwritten', () => {
    dir = mkdtempSync(join(tmpdir(), 'lbpoc-stack-'));
    const file = join(dir, '.secrets', 'grafana-admin-password');
    const first = ensurePasswordFile(file);
    expect(first.created).toBe(true);
    expect(first.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(first.warning).toBeUndefined();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).toBe(`${first.password}\n`);

    const again = ensurePasswordFile(file);
    expect(again).toEqual({ password: first.password, created: false, warning: undefined });
    expect(ensurePasswordFile(join(dir, 'other')).password).not.toBe(first.password);
  });

  it('keeps a password the user wrote, and warns when others can read it', () => {
    dir = mkdtempSync(join(tmpdir(), 'lbpoc-stack-'));
    const file = join(dir, 'grafana-admin-password');
    writeFileSync(file, 'chosen-by-me\n', { mode: 0o644 });
    const kept = ensurePasswordFile(file);
    expect(kept.created).toBe(false);
    expect(kept.password).toBe('chosen-by-me');
    expect(kept.warning).toBe(`${file} can be read by others (mode 0644): chmod 600 ${file}`);
    expect(readFileSync(file, 'utf8')).toBe('chosen-by-me\n');
  });

  it('refuses an empty file and the default password', () => {
    dir = mkdtempSync(join(tmpdir(), 'lbpoc-stack-'));
    writeFileSync(join(dir, 'empty'), '\n', { mode: 0o600 });
    expect(() => ensurePasswordFile(join(dir, 'empty'))).toThrow(/is empty: delete it/);
    writeFileSync(join(dir, 'admin'), 'admin', { mode: 0o600 });
    expect(() => ensurePasswordFile(join(dir, 'admin'))).toThrow(/default password "admin"/);
  });

  it('is 0600 whatever the umask', () => {
    dir = mkdtempSync(join(tmpdir(), 'lbpoc-stack-'));
    const file = join(dir, 's', 'p');
    // process.umask() cannot be changed in a test worker: a child process with umask 0.
    const lib = `${REPO}scripts/stack/lib.mjs`;
    execFileSync(process.execPath, [
      '--input-type=module',
      '-e',
      `process.umask(0); const { ensurePasswordFile } = await import(${JSON.stringify(lib)}); ensurePasswordFile(${JSON.stringify(file)});`,
    ]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('is git-ignored', () => {
    const ignored = spawnSync('git', ['check-ignore', '-q', 'infra/.secrets/grafana-admin-password'], { cwd: REPO });
    expect(ignored.status, '.gitignore does not cover infra/.secrets/').toBe(0);
  });
});

describe('pnpm stack: reading compose and the engine', () => {
  it('reads services, images, profiles and dependencies from `docker-compose config`', () => {
    let text: string;
    try {
      text = execFileSync('docker-compose', ['-f', `${REPO}infra/compose.yaml`, '--profile', 'full', 'config'], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      });
    } catch (error) {
      throw new Error(`docker-compose config failed (is docker-compose installed? bash .ci/docker.sh): ${String(error)}`);
    }
    const services = parseComposeConfig(text);
    expect(services.get('balancer')).toEqual({ image: 'lbpoc/balancer:local', dependsOn: ['docker-api'], profiles: [] });
    expect(services.get('locust')).toEqual({ image: 'locustio/locust:2.31.8', dependsOn: ['balancer', 'influxdb'], profiles: ['full'] });
    expect(services.get('locust-exporter')?.dependsOn).toEqual(['locust']);
    expect([...servicesInProfiles(services, []).keys()].sort()).toEqual(['backend', 'backend-slow', 'balancer', 'docker-api', 'node-exporter', 'prometheus']);
    expect(servicesInProfiles(services, ['full']).size).toBe(services.size);

    // Offline: the local images only. The core starts; each full service is left out, saying why.
    const local = new Set([
      'lbpoc/balancer:local',
      'lbpoc/backend:local',
      'lbpoc/docker-api-proxy:local',
      'prom/prometheus:v3.5.0',
      'prom/node-exporter:v1.9.1',
    ]);
    const { start, skipped } = startableServices(services, local);
    expect(start.sort()).toEqual(['backend', 'backend-slow', 'balancer', 'docker-api', 'node-exporter', 'prometheus']);
    expect(Object.fromEntries(skipped.map((s) => [s.name, s.reason]))).toMatchObject({
      grafana: 'its image grafana/grafana:12.2.1 is not on this machine and could not be pulled',
    });
    expect(skipped.map((s) => s.name).sort()).toEqual(['cadvisor', 'grafana', 'influxdb', 'locust', 'locust-exporter']);
    // With Grafana's image but not InfluxDB's: Grafana starts, and goes without InfluxDB, said so.
    const withGrafana = startableServices(services, new Set([...local, 'grafana/grafana:12.2.1']));
    expect(withGrafana.start).toContain('grafana');
    expect(withGrafana.without).toEqual([{ name: 'grafana', missing: ['influxdb'] }]);
    expect(startableServices(servicesInProfiles(services, []), local)).toEqual({ start: expect.any(Array), skipped: [], without: [] });
  });

  it('names images as docker image ls does, and projects as compose does', () => {
    expect(normalizeImage('influxdb:1.11')).toBe('influxdb:1.11');
    expect(normalizeImage('busybox')).toBe('busybox:latest');
    expect(normalizeImage('localhost:5000/x')).toBe('localhost:5000/x:latest');
    expect(projectName(undefined)).toBe('infra');
    expect(projectName('My.Stack_1')).toBe('mystack_1');
  });

  it('finds published ports and describes the services from `docker inspect`', () => {
    const inspect = JSON.stringify([
      {
        Config: { Labels: { 'com.docker.compose.service': 'balancer' } },
        State: { Status: 'running', Health: { Status: 'healthy' } },
        NetworkSettings: { Ports: { '5000/tcp': [{ HostIp: '0.0.0.0', HostPort: '5000' }], '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: '18000' }] } },
      },
      {
        Config: { Labels: { 'com.docker.compose.service': 'backend' } },
        State: { Status: 'running', Health: { Status: 'healthy' } },
        NetworkSettings: { Ports: { '5000/tcp': null } },
      },
      {
        Config: { Labels: { 'com.docker.compose.service': 'backend' } },
        State: { Status: 'running', Health: { Status: 'healthy' } },
        NetworkSettings: { Ports: {} },
      },
      {
        Config: { Labels: { 'com.docker.compose.service': 'grafana' } },
        State: { Status: 'exited', Restarting: true, ExitCode: 64 },
        NetworkSettings: { Ports: {} },
      },
    ]);
    const containers = containersFromInspect(inspect);
    expect(publishedAddress(containers, 'balancer', 5000)).toBe('127.0.0.1:5000');
    expect(publishedAddress(containers, 'balancer', 8000)).toBe('127.0.0.1:18000');
    expect(publishedAddress(containers, 'backend', 5000)).toBeUndefined();
    expect(publishedAddress(containers, 'grafana', 3000)).toBeUndefined();
    expect(describeServices(containers)).toEqual([
      'backend          2 running (healthy)',
      'balancer         running (healthy)',
      'grafana          restarting (exit 64)',
    ]);
  });
});
