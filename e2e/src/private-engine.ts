/**
 * A Docker engine of the test run's own: a second dockerd, in a temporary folder, that the
 * tests may restart, switch to swarm mode and kill without touching the machine's main
 * engine (which other test packages and people use at the same time).
 *
 * How it stays out of the main engine's way, each for a reason found the hard way:
 * - its own bridge (`--bridge=lbe2eN`), never `--bridge=none`: a dockerd started with
 *   `none` deletes the host's docker0 and breaks the main engine's default network;
 * - `--iptables=false`: a dockerd that manages iptables rebuilds the shared DOCKER chains
 *   when it starts, dropping the main engine's rules. Two consequences, handled here:
 *   the kernel's FORWARD policy (DROP, set by the main engine) would drop the bridged
 *   traffic between this engine's containers, so one ACCEPT rule for its address range,
 *   bridged frames only, is inserted and removed again; and published ports are served by
 *   docker-proxy (127.0.0.1 only, which is all the tests use);
 * - address ranges of its own: 10.240-243.N.0/24 for a slot N no route uses;
 * - its own containerd namespace, and for swarm mode its own gateway bridge name,
 *   ports and loopback address (see initSwarm).
 *
 * All its state is in `<dir>/engine.json`, so any process of the run (the global setup,
 * a test worker) can restart or destroy it. An engine whose owner process died (a run
 * that was killed) is destroyed by the next run.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { run, tail } from './run.js';
import { waitFor } from './wait-for.js';

export interface EngineInfo {
  readonly dir: string;
  /** The folder holding docker.sock: compose mounts it (not the socket file) into the docker-api proxy. */
  readonly socketDir: string;
  readonly socketPath: string;
  /** DOCKER_HOST for the docker and docker-compose CLIs. */
  readonly host: string;
  readonly slot: number;
  readonly liveRestore: boolean;
  /** The process that owns the engine; when it is gone, the engine is stale. */
  readonly ownerPid: number;
}

const LOCK_PREFIX = '/tmp/lbpoc-e2e-slot-';

/** Environment for a docker / docker-compose command aimed at this engine. */
export function engineEnv(engine: EngineInfo, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, DOCKER_HOST: engine.host, ...extra };
}

/** Runs the docker CLI against the engine. */
export async function docker(engine: EngineInfo, args: readonly string[], timeoutMs = 60_000): Promise<string> {
  return (await run('docker', args, { env: engineEnv(engine), timeoutMs })).stdout;
}

/** The address range the engine's own networks are carved from (compose networks, /27 each). */
export const networkPool = (slot: number) => `10.241.${slot}.0/24`;

export async function createEngine(options: { liveRestore: boolean }): Promise<EngineInfo> {
  await checkPrerequisites();
  await destroyStaleEngines();
  const slot = claimSlot();
  const dir = mkdtempSync(`/tmp/lbpoc-e2e-${slot}-`);
  const socketDir = `${dir}/run`;
  mkdirSync(socketDir);
  writeFileSync(`${LOCK_PREFIX}${slot}.lock`, JSON.stringify({ dir, pid: process.pid }));
  const engine: EngineInfo = {
    dir,
    socketDir,
    socketPath: `${socketDir}/docker.sock`,
    host: `unix://${socketDir}/docker.sock`,
    slot,
    liveRestore: options.liveRestore,
    ownerPid: process.pid,
  };
  save(engine);
  try {
    await run('ip', ['link', 'add', bridgeName(slot), 'type', 'bridge']);
    await run('ip', ['addr', 'add', `10.240.${slot}.1/24`, 'dev', bridgeName(slot)]);
    await run('ip', ['link', 'set', bridgeName(slot), 'up']);
    await run('iptables', ['-I', 'FORWARD', '1', ...forwardRule(slot)]);
    await startDaemon(engine);
  } catch (error) {
    await destroyEngine(engine);
    throw error;
  }
  return engine;
}

/** Stops the daemon and starts it again, with or without live-restore. Returns the engine as it now runs. */
export async function restartEngine(engine: EngineInfo, options: { liveRestore: boolean; signal?: 'SIGTERM' | 'SIGKILL' }): Promise<EngineInfo> {
  await stopDaemon(engine, options.signal ?? 'SIGTERM');
  const next = { ...engine, liveRestore: options.liveRestore };
  save(next);
  await startDaemon(next);
  return next;
}

/** The engine as last saved (a worker sees the global setup's restarts through this). */
export function loadEngine(dir: string): EngineInfo {
  return JSON.parse(readFileSync(`${dir}/engine.json`, 'utf8')) as EngineInfo;
}

/** Removes everything the engine made: containers, swarm, networks, bridges, mounts, files, rule. Safe to call twice. */
export async function destroyEngine(engine: EngineInfo): Promise<void> {
  const bridges = new Set([bridgeName(engine.slot), gatewayBridgeName(engine.slot)]);
  if (daemonPid(engine) !== undefined && (await ping(engine))) {
    const cli = (args: string[]) => docker(engine, args, 60_000).catch(() => '');
    if ((await cli(['info', '--format', '{{.Swarm.LocalNodeState}}'])).trim() === 'active') {
      await cli(['swarm', 'leave', '--force']);
    }
    const containers = (await cli(['ps', '-aq'])).split('\n').filter(Boolean);
    if (containers.length > 0) await cli(['rm', '-f', '-v', ...containers]);
    for (const id of (await cli(['network', 'ls', '-q', '--no-trunc', '--filter', 'type=custom'])).split('\n').filter(Boolean)) {
      bridges.add(`br-${id.slice(0, 12)}`);
      await cli(['network', 'rm', id]);
    }
  }
  await stopDaemon(engine, 'SIGTERM').catch(() => stopDaemon(engine, 'SIGKILL'));
  // With live-restore, containerd and the container shims outlive dockerd: end them by pid.
  for (const pid of processesUnder(engine.dir)) killQuietly(pid, 'SIGKILL');
  for (const bridge of bridges) await run('ip', ['link', 'del', bridge]).catch(() => undefined);
  await run('iptables', ['-D', 'FORWARD', ...forwardRule(engine.slot)]).catch(() => undefined);
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((mountPoint) => mountPoint.startsWith(`${engine.dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const mountPoint of mounts) await run('umount', ['-l', mountPoint]).catch(() => undefined);
  rmSync(engine.dir, { recursive: true, force: true });
  rmSync(`${LOCK_PREFIX}${engine.slot}.lock`, { force: true });
}

export const bridgeName = (slot: number) => `lbe2e${slot}`;
export const gatewayBridgeName = (slot: number) => `lbe2egw${slot}`;

/**
 * Makes the engine a single-node swarm manager. Docker's defaults would collide with a
 * swarm of another engine on this machine (a test of another package, at the same time):
 * the docker_gwbridge interface name, port 2377, the data path port, and the gossip port
 * 7946 that it binds on the advertise address. So: a gateway bridge of its own, free ports,
 * and an advertise address on the loopback of its own (127.42.N.1; all of 127/8 is lo).
 */
export async function initSwarm(engine: EngineInfo): Promise<void> {
  await docker(engine, [
    'network',
    'create',
    '--driver',
    'bridge',
    '--subnet',
    `10.242.${engine.slot}.0/24`,
    '--opt',
    `com.docker.network.bridge.name=${gatewayBridgeName(engine.slot)}`,
    '--opt',
    'com.docker.network.bridge.enable_icc=false',
    '--opt',
    'com.docker.network.bridge.enable_ip_masquerade=false',
    'docker_gwbridge',
  ]);
  const address = `127.42.${engine.slot}.1`;
  await docker(engine, [
    'swarm',
    'init',
    '--advertise-addr',
    address,
    '--listen-addr',
    `${address}:2377`,
    '--data-path-port',
    String(4800 + engine.slot),
    '--default-addr-pool',
    `10.243.${engine.slot}.0/24`,
    '--default-addr-pool-mask-length',
    '27',
  ]);
}

/** Leaves the swarm and removes the gateway network, so the engine can go back to live-restore. */
export async function leaveSwarm(engine: EngineInfo): Promise<void> {
  await docker(engine, ['swarm', 'leave', '--force']).catch(() => undefined);
  await docker(engine, ['network', 'rm', 'docker_gwbridge']).catch(() => undefined);
}

// ---- internals ----

async function checkPrerequisites(): Promise<void> {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (a private dockerd, bridges and iptables need it)');
  for (const [tool, args] of [
    ['dockerd', ['--version']],
    ['docker', ['--version']],
    ['docker-compose', ['version', '--short']],
    ['ip', ['-V']],
    ['iptables', ['--version']],
  ] as const) {
    await run(tool, args).catch(() => missing.push(tool));
  }
  if (missing.length > 0) {
    throw new Error(
      `The e2e suite needs a real Docker engine and cannot run here; missing: ${missing.join(', ')}. ` +
        'On Debian, as root: `bash .ci/docker.sh` installs docker.io and docker-compose.',
    );
  }
}

/** A slot N whose 10.240-243.N.0/24 ranges no route and no other run uses, claimed by a lock file. */
function claimSlot(): number {
  const routes = readFileSync('/proc/net/route', 'utf8');
  const used = (slot: number) => [240, 241, 242, 243].some((octet) => routes.includes(hexNetwork(octet, slot)));
  for (const slot of shuffled(Array.from({ length: 200 }, (_, i) => i + 20))) {
    if (used(slot) || existsSync(`/sys/class/net/${bridgeName(slot)}`)) continue;
    try {
      closeSync(openSync(`${LOCK_PREFIX}${slot}.lock`, 'wx'));
      return slot;
    } catch {}
  }
  throw new Error('no free address slot for a private dockerd (10.240-243.N.0/24 all in use)');
}

/** /proc/net/route writes 10.241.N.0 as the little-endian hex 00NNF10A. */
function hexNetwork(octet: number, slot: number): string {
  return [0, slot, octet, 10].map((byte) => byte.toString(16).padStart(2, '0').toUpperCase()).join('');
}

function shuffled<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Bridged frames inside the engine's own address range; nothing routed between its networks. */
function forwardRule(slot: number): string[] {
  return [
    '-s',
    `10.241.${slot}.0/24`,
    '-d',
    `10.241.${slot}.0/24`,
    '-m',
    'physdev',
    '--physdev-is-bridged',
    '-m',
    'comment',
    '--comment',
    `lbpoc-e2e-${slot}`,
    '-j',
    'ACCEPT',
  ];
}

function save(engine: EngineInfo): void {
  writeFileSync(`${engine.dir}/engine.json`, JSON.stringify(engine, null, 2));
}

function daemonArgs(engine: EngineInfo): string[] {
  const { dir, slot } = engine;
  writeFileSync(`${dir}/daemon.json`, '{}'); // not /etc/docker/daemon.json: the main engine's settings are not ours
  return [
    `--host=${engine.host}`,
    `--data-root=${dir}/data`,
    `--exec-root=${dir}/exec`,
    `--pidfile=${dir}/docker.pid`,
    `--config-file=${dir}/daemon.json`,
    `--bridge=${bridgeName(slot)}`,
    '--iptables=false',
    '--ip-forward=false',
    '--ip-masq=false',
    `--default-address-pool=base=${networkPool(slot)},size=27`,
    `--containerd-namespace=lbpoc-e2e-${slot}`,
    `--containerd-plugins-namespace=lbpoc-e2e-${slot}-plugins`,
    ...(engine.liveRestore ? ['--live-restore'] : []),
  ];
}

async function startDaemon(engine: EngineInfo): Promise<void> {
  const log = openSync(`${engine.dir}/dockerd.log`, 'a');
  // Detached, in a session of its own: it must outlive the worker that (re)started it.
  const child = spawn('dockerd', daemonArgs(engine), { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  let exited = false;
  child.once('exit', () => (exited = true));
  child.unref();
  await waitFor(
    'the private dockerd to answer',
    async () => {
      if (exited) throw new Error(`the private dockerd exited at start; its log:\n${tail(readLog(engine), 20)}`);
      return ping(engine);
    },
    { timeoutMs: 60_000 },
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n--- ${engine.dir}/dockerd.log ---\n${tail(readLog(engine), 20)}`);
  });
}

async function stopDaemon(engine: EngineInfo, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  const pid = daemonPid(engine);
  if (pid === undefined) return;
  const containerd = readPid(`${engine.dir}/exec/containerd/containerd.pid`);
  killQuietly(pid, signal);
  try {
    await waitFor('the private dockerd to exit', () => !alive(pid), { timeoutMs: 30_000 });
  } catch {
    killQuietly(pid, 'SIGKILL');
    await waitFor('the private dockerd to exit after SIGKILL', () => !alive(pid), { timeoutMs: 10_000 });
  }
  // A SIGKILLed dockerd leaves its pid file; the next start would refuse to run.
  rmSync(`${engine.dir}/docker.pid`, { force: true });
  // Its containerd dies with it (a parent-death signal) but lingers as a zombie for a
  // moment, which the next dockerd takes for a live containerd: it then waits a minute for
  // a socket that never comes. Wait for it to go, and forget its pid. (After SIGTERM with
  // live-restore, containerd keeps running on purpose and the next dockerd reuses it.)
  if (signal === 'SIGKILL' && containerd !== undefined) {
    await waitFor("the killed dockerd's containerd to exit", () => !alive(containerd), { timeoutMs: 15_000 }).catch(() => undefined);
  }
  if (containerd !== undefined && !alive(containerd)) rmSync(`${engine.dir}/exec/containerd/containerd.pid`, { force: true });
}

function daemonPid(engine: EngineInfo): number | undefined {
  const pid = readPid(`${engine.dir}/docker.pid`);
  return pid !== undefined && alive(pid) ? pid : undefined;
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** GET /_ping on the engine's socket: true when it answers OK. */
export function ping(engine: EngineInfo): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: engine.socketPath, path: '/_ping', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Alive and not a zombie (a zombie has exited; its parent just has not reaped it). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** Processes whose command line names the engine's folder: its containerd and shims. */
function processesUnder(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dir)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

function readLog(engine: EngineInfo): string {
  try {
    return readFileSync(`${engine.dir}/dockerd.log`, 'utf8');
  } catch {
    return '(no log)';
  }
}

/** Engines of runs that were killed before they could clean up (their owner process is gone). */
async function destroyStaleEngines(): Promise<void> {
  for (const entry of readdirSync('/tmp')) {
    if (!entry.startsWith('lbpoc-e2e-slot-')) continue;
    try {
      const { dir, pid } = JSON.parse(readFileSync(`/tmp/${entry}`, 'utf8')) as { dir: string; pid: number };
      if (alive(pid)) continue;
      if (existsSync(`${dir}/engine.json`)) await destroyEngine(loadEngine(dir));
      else rmSync(`/tmp/${entry}`, { force: true });
    } catch {
      // being written by a live run, or already gone
    }
  }
}
