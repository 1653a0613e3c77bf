/**
 * The engine restarts under a running DockerSource. Done to a private dockerd of this
 * file (test/integration/private-dockerd.ts), never to the machine's shared engine:
 * stopping that one would stop everybody's containers. The daemon runs with --live-restore, so containers
 * outlive it, as they do in production setups that restart Docker for an upgrade.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerUnavailableError } from '../../src/sources/docker/docker-errors.js';
import { DockerSource } from '../../src/sources/docker/docker-source.js';
import type { DockerStateDetail } from '../../src/sources/docker/docker-source-events.js';
import { connectToEngine, TestContainers, waitFor } from './docker-engine.js';
import { type PrivateDockerd, startPrivateDockerd } from './private-dockerd.js';

let daemon: PrivateDockerd | undefined;
let engine: TestContainers;

beforeAll(async () => {
  daemon = await startPrivateDockerd({ liveRestore: true, mainEngine: await connectToEngine() });
  engine = new TestContainers(daemon.docker);
}, 90_000);

afterAll(async () => {
  // Restores nothing shared: the private daemon and all it made go away.
  await daemon?.destroy();
}, 90_000);

describe('DockerSource across a daemon restart', { timeout: 90_000 }, () => {
  it('keeps the last set while the daemon is down and reconciles once it is back', async () => {
    const d = daemon!;
    const net = await engine.network('net', { IPAM: { Config: [{ Subnet: d.subnet(0) }] } });
    const labels = { 'lbpoc.enable': 'true', 'lbpoc.pool': 'restart', 'lbpoc.port': '8080' };
    const [a, b] = await Promise.all([engine.run({ name: 'a', networks: [net], labels }), engine.run({ name: 'b', networks: [net], labels })]);
    const [ipA, ipB] = await Promise.all([engine.addressOn(a, net), engine.addressOn(b, net)]);
    const pidB = (await b.inspect()).State.Pid;

    const source = new DockerSource({
      docker: { socketPath: d.socketPath },
      pool: 'restart',
      selfNetworks: [],
      heartbeatIntervalMs: 200,
      requestTimeoutMs: 2000,
      reconnectInitialDelayMs: 100,
      reconnectMaxDelayMs: 400,
    });
    const states: DockerStateDetail[] = [];
    const errors: Error[] = [];
    source.addEventListener('state', (event) => states.push(event.detail));
    source.addEventListener('error', (event) => errors.push(event.detail.error));
    try {
      await source.start();
      expect(
        source
          .current()
          .map((backend) => backend.host)
          .sort(),
      ).toEqual([ipA, ipB].sort());
      const before = source.current();

      await d.stop();
      await waitFor('the source to notice the daemon is gone', () => states.some((state) => state.state === 'disconnected'), 10_000);
      expect(source.connected).toBe(false);
      expect(states.find((state) => state.state === 'disconnected')!.error).toBeInstanceOf(DockerUnavailableError);

      // While it is down, b's process dies; nobody can tell the source.
      process.kill(pidB, 'SIGKILL');
      await waitFor('a few failed reconnection attempts', () => errors.length >= 3, 10_000);
      expect(source.current()).toBe(before); // the last known set, untouched
      expect(errors.every((error) => error instanceof DockerUnavailableError)).toBe(true);
      expect(errors.at(-1)!.message).toContain(d.socketPath);

      await d.start(); // a new socket file, a new daemon process
      await waitFor('the source to reconnect', () => source.connected, 15_000);
      await waitFor('the set to be reconciled', () => source.current().length === 1, 10_000);
      expect(source.current().map((backend) => backend.host)).toEqual([ipA]);
      expect(states.map((state) => state.state)).toEqual(['connected', 'disconnected', 'connected']);

      // The event stream is live again: a container started now joins.
      const c = await engine.run({ name: 'c', networks: [net], labels });
      const ipC = await engine.addressOn(c, net);
      await waitFor('a container started after the restart to join', () => source.current().some((backend) => backend.host === ipC), 10_000);
    } finally {
      await source.close();
    }
  });
});
