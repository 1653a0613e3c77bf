/**
 * A second Docker daemon that belongs to one test file alone, for what must not be done
 * to the machine's shared engine: killing and restarting it, turning Swarm mode on.
 *
 * It lives in a temporary folder (socket, data, exec root, its own containerd), on a
 * bridge of its own, and touches nothing the main engine owns: no iptables rules
 * (`--iptables=false`), not the `docker0` bridge (a daemon started with `--bridge=none`
 * deletes docker0, breaking the main engine's default network), not its containerd
 * namespace, not the address ranges it uses (10.231-234.N.0/24, N free per daemon).
 * `destroy()` removes every container, network, bridge, mount and file it made.
 *
 * Needs root and `dockerd` (as .ci/docker.sh provides); throws, naming what is missing.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { freePort } from '../../../../test-support/free-port.js';
import { TEST_IMAGE, waitFor } from './docker-engine.js';

export interface PrivateDockerd {
  readonly socketPath: string;
  readonly docker: Docker;
  /** 1..250: this daemon's slot in the 10.23x.N.0/24 ranges. */
  readonly slot: number;
  /** The subnet for networks the test creates on this daemon (a /24 nobody else uses). */
  readonly subnet: (index: number) => string;
  /** Stops the daemon (SIGTERM, as `systemctl stop docker` does); waits until it has exited. */
  stop(): Promise<void>;
  /** Starts it again with the same settings; waits until it answers. */
  start(): Promise<void>;
  /** Makes this daemon a single-node swarm manager on ports of its own. */
  initSwarm(): Promise<void>;
  /** Removes everything it made. Safe to call after a failure, and twice. */
  destroy(): Promise<void>;
}

const run = (command: string, args: readonly string[]) => execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export async function startPrivateDockerd(options: { readonly liveRestore: boolean; readonly mainEngine: Docker }): Promise<PrivateDockerd> {
  if (process.getuid?.() !== 0) throw new Error('a private dockerd for this test needs root');
  try {
    run('dockerd', ['--version']);
  } catch {
    throw new Error('dockerd is not installed: run `bash .ci/docker.sh` first');
  }
  const { slot, lockFile } = claimSlot();
  const dir = mkdtempSync('/tmp/lbpoc-dockerd-');
  const socketPath = join(dir, 'docker.sock');
  const bridge = `lbpd${slot}`;
  const gatewayBridge = `lbgw${slot}`;
  const createdBridges = new Set<string>();
  writeFileSync(join(dir, 'daemon.json'), '{}'); // not /etc/docker/daemon.json: the main engine's settings are not ours
  const args = [
    `--host=unix://${socketPath}`,
    `--data-root=${join(dir, 'data')}`,
    `--exec-root=${join(dir, 'exec')}`,
    `--pidfile=${join(dir, 'docker.pid')}`,
    `--config-file=${join(dir, 'daemon.json')}`,
    `--bridge=${bridge}`,
    '--iptables=false',
    '--ip-forward=false',
    '--ip-masq=false',
    `--default-address-pool=base=10.232.${slot}.0/24,size=26`,
    `--containerd-namespace=lbpoc-test-${slot}`,
    `--containerd-plugins-namespace=lbpoc-test-${slot}-plugins`,
    ...(options.liveRestore ? ['--live-restore'] : []),
  ];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const docker = new Docker({ socketPath });
  let destroyed = false;

  const start = async () => {
    const log = openSync(join(dir, 'dockerd.log'), 'a');
    const process = spawn('dockerd', args, { stdio: ['ignore', log, log] });
    closeSync(log);
    child = process;
    exited = new Promise<void>((resolve) => process.once('exit', () => resolve()));
    let gone = false;
    void exited.then(() => (gone = true));
    await waitFor(
      'the private dockerd to answer',
      async () => {
        if (gone) throw new Error(`the private dockerd exited at start; its log:\n${readLog()}`);
        return docker.ping().then(
          () => true,
          () => false,
        );
      },
      30_000,
    );
  };

  const stop = async () => {
    const process = child;
    if (process === undefined || process.exitCode !== null) return;
    process.kill('SIGTERM');
    const timer = setTimeout(() => process.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
    child = undefined;
  };

  const readLog = () => {
    try {
      return readFileSync(join(dir, 'dockerd.log'), 'utf8').split('\n').slice(-20).join('\n');
    } catch {
      return '(no log)';
    }
  };

  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    if (child !== undefined) {
      const remove = async () => {
        const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string } };
        if (info.Swarm?.LocalNodeState === 'active') {
          for (const service of await docker.listServices()) await docker.getService(service.ID).remove();
        }
        for (const container of await docker.listContainers({ all: true })) await docker.getContainer(container.Id).remove({ force: true });
        if (info.Swarm?.LocalNodeState === 'active') await docker.swarmLeave({ force: true });
        for (const network of await docker.listNetworks()) {
          if (['bridge', 'host', 'none'].includes(network.Name)) continue;
          createdBridges.add(network.Options?.['com.docker.network.bridge.name'] ?? `br-${network.Id.slice(0, 12)}`);
          await docker
            .getNetwork(network.Id)
            .remove()
            .catch(() => undefined);
        }
      };
      await remove().catch(() => undefined);
      await stop();
    }
    // Its containerd outlives it when live-restore is on.
    const containerdPid = Number(readIfExists(join(dir, 'exec', 'containerd', 'containerd.pid')));
    if (containerdPid > 0) {
      try {
        process.kill(containerdPid, 'SIGTERM');
        await waitFor('the private containerd to exit', () => !alive(containerdPid), 10_000).catch(() => process.kill(containerdPid, 'SIGKILL'));
      } catch {
        // already gone
      }
    }
    for (const name of [bridge, gatewayBridge, ...createdBridges]) {
      try {
        run('ip', ['link', 'del', name]);
      } catch {
        // not there
      }
    }
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[4] ?? '')
      .filter((mountPoint) => mountPoint.startsWith(`${dir}/`))
      .sort((a, b) => b.length - a.length);
    for (const mountPoint of mounts) {
      try {
        run('umount', ['-l', mountPoint]);
      } catch {
        // already unmounted
      }
    }
    rmSync(dir, { recursive: true, force: true });
    rmSync(lockFile, { force: true });
  };

  try {
    run('ip', ['link', 'add', bridge, 'type', 'bridge']);
    run('ip', ['addr', 'add', `10.231.${slot}.1/24`, 'dev', bridge]);
    run('ip', ['link', 'set', bridge, 'up']);
    await start();
    // No registry here: the test image comes from the main engine.
    const image = await options.mainEngine.getImage(TEST_IMAGE).get();
    const loading = await docker.loadImage(image as NodeJS.ReadableStream);
    await new Promise<void>((resolve, reject) => docker.modem.followProgress(loading, (error) => (error ? reject(error) : resolve())));
  } catch (error) {
    await destroy();
    throw error;
  }

  return {
    socketPath,
    docker,
    slot,
    subnet: (index) => `10.232.${slot}.${index * 64}/26`,
    stop,
    start,
    async initSwarm() {
      // Docker's own name for the bridge would clash with a swarm of the main engine: give it ours.
      await docker.createNetwork({
        Name: 'docker_gwbridge',
        Driver: 'bridge',
        IPAM: { Config: [{ Subnet: `10.234.${slot}.0/24` }] },
        Options: {
          'com.docker.network.bridge.name': gatewayBridge,
          'com.docker.network.bridge.enable_icc': 'false',
          'com.docker.network.bridge.enable_ip_masquerade': 'false',
        },
      });
      const port = await freePort();
      await docker.swarmInit({
        ListenAddr: `127.0.0.1:${port}`,
        AdvertiseAddr: `127.0.0.1:${port}`,
        DataPathPort: await freeUdpPort(),
        DefaultAddrPool: [`10.233.${slot}.0/24`],
        SubnetSize: 26,
      });
    },
    destroy,
  };
}

/** A slot N whose 10.231-234.N.0/24 ranges no route uses, claimed with a lock file against a parallel test file. */
function claimSlot(): { slot: number; lockFile: string } {
  const routes = run('ip', ['-4', 'route']);
  const candidates = Array.from({ length: 250 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
  for (const slot of candidates) {
    if ([231, 232, 233, 234].some((octet) => routes.includes(`10.${octet}.${slot}.`))) continue;
    if (existsSync(`/sys/class/net/lbpd${slot}`)) continue;
    const lockFile = `/tmp/lbpoc-dockerd-slot-${slot}.lock`;
    try {
      closeSync(openSync(lockFile, 'wx'));
      return { slot, lockFile };
    } catch {}
  }
  throw new Error('no free address slot for a private dockerd (10.231-234.N.0/24 all in use?)');
}

function readIfExists(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A UDP port for VXLAN, in the range Swarm accepts (1024-49151). */
async function freeUdpPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 30_000 + Math.floor(Math.random() * 19_000);
    const free = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, () => socket.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free UDP port for the swarm data path');
}
