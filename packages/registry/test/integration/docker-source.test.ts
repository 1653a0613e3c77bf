/**
 * DockerSource against the real engine (.ci/docker.sh starts one): containers are started
 * from lbpoc/node:24-local with labels on networks of this run, and the source's set is
 * checked as they come and go. Each test reads its own pool (or its own addresses), so
 * other containers on the engine, labelled or not, do not disturb it. No traffic is sent
 * to the containers: what is checked is what discovery reports.
 */
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendAddress } from '../../src/shared/backend-address.js';
import { PoolClosedError } from '../../src/shared/errors.js';
import { DockerUnavailableError } from '../../src/sources/docker/docker-errors.js';
import { DockerSource } from '../../src/sources/docker/docker-source.js';
import type { DockerWarningDetail } from '../../src/sources/docker/docker-source-events.js';
import type { DockerSourceOptions } from '../../src/sources/docker/docker-source-options.js';
import { connectToEngine, READY_FILE_HEALTHCHECK, slowStoppingServer, TestContainers, waitFor } from './docker-engine.js';

let engine: TestContainers;
let netA: string;
let netB: string;
const sources: DockerSource[] = [];

/** A started source that records its warnings; closed after all tests. */
async function startSource(options: DockerSourceOptions): Promise<{ source: DockerSource; warnings: DockerWarningDetail[] }> {
  const source = new DockerSource({ selfNetworks: [], ...options });
  sources.push(source);
  const warnings: DockerWarningDetail[] = [];
  source.addEventListener('warning', (event) => warnings.push(event.detail));
  await source.start();
  return { source, warnings };
}

const hosts = (source: DockerSource) => source.current().map((backend) => backend.host);

beforeAll(async () => {
  engine = new TestContainers(await connectToEngine());
  netA = await engine.network('a');
  netB = await engine.network('b');
}, 30_000);

afterAll(async () => {
  await Promise.all(sources.map((source) => source.close()));
  if (engine === undefined) return;
  await engine.cleanup();
  expect(await engine.leftovers()).toEqual([]);
}, 60_000);

describe('DockerSource (containers mode, real engine)', { timeout: 40_000 }, () => {
  it('lists labelled running containers at start and ignores the others', async () => {
    const pool = engine.name('web');
    const compose = { 'lbpoc.enable': 'true', 'com.docker.compose.service': pool, 'com.docker.compose.project': engine.name('p') };
    const [web1, web2, exposed, plain, disabled] = await Promise.all([
      engine.run({ name: 'web-1', networks: [netA], labels: { ...compose, 'lbpoc.port': '8080', 'lbpoc.health.path': '/ready' } }),
      engine.run({ name: 'web-2', networks: [netA], labels: { ...compose, 'lbpoc.port': '8080', 'lbpoc.weight': '3' } }),
      engine.run({ name: 'web-3', networks: [netA], labels: compose, exposedPorts: ['8080/tcp'] }),
      engine.run({ name: 'plain', networks: [netA] }),
      engine.run({ name: 'disabled', networks: [netA], labels: { ...compose, 'lbpoc.enable': 'false', 'lbpoc.port': '8080' } }),
    ]);
    const [ip1, ip2, ip3, ipPlain, ipDisabled] = await Promise.all(
      [web1!, web2!, exposed!, plain!, disabled!].map((container) => engine.addressOn(container, netA)),
    );

    const { source, warnings } = await startSource({});
    const ours = (backend: BackendAddress) => [ip1, ip2, ip3, ipPlain, ipDisabled].includes(backend.host);
    expect(source.current().filter(ours)).toEqual([
      { id: `${ip1}:8080`, host: ip1, port: 8080, weight: 1, pool, healthPath: '/ready' },
      { id: `${ip2}:8080`, host: ip2, port: 8080, weight: 3, pool },
      // no lbpoc.port: the only exposed TCP port
      { id: `${ip3}:8080`, host: ip3, port: 8080, weight: 1, pool },
    ]);
    expect(Object.isFrozen(source.current())).toBe(true);
    expect(warnings.filter((warning) => warning.container.startsWith(engine.name('')))).toEqual([]);
    expect(source.connected).toBe(true);
  });

  it('adds a container started later, and drops one on docker stop before it has stopped', async () => {
    const pool = engine.name('late');
    const { source } = await startSource({ pool });
    expect(source.current()).toEqual([]);
    let changes = 0;
    source.addEventListener('change', () => changes++);

    const late = await engine.run({
      name: 'late',
      networks: [netA],
      labels: { 'lbpoc.enable': 'true', 'lbpoc.pool': pool, 'lbpoc.port': '8080' },
      script: slowStoppingServer(2000),
    });
    const ip = await engine.addressOn(late, netA);
    await waitFor('the late container to join', () => hosts(source).includes(ip));
    expect(changes).toBe(1);

    // docker stop -t 5: SIGTERM, and the process lingers 2 s before it exits.
    const stopCalled = performance.now();
    const stopped = late.stop({ t: 5 }).then(() => performance.now());
    await waitFor('the stopping container to leave', () => source.current().length === 0, 1500);
    const leftAfterMs = performance.now() - stopCalled;
    const { State } = await late.inspect();
    expect(State.Running).toBe(true); // still shutting down, already out of the set
    const stopTookMs = (await stopped) - stopCalled;
    expect(stopTookMs).toBeGreaterThan(1500);
    expect(leftAfterMs).toBeLessThan(stopTookMs - 1000);
    expect(source.current()).toEqual([]);

    // Started again: a new run, not stopping.
    await late.start();
    await waitFor('the restarted container to join again', () => hosts(source).length === 1);
  });

  it('skips a container with a bad label and warns naming the container, the label and the value', async () => {
    const pool = engine.name('bad');
    const labels = { 'lbpoc.enable': 'true', 'lbpoc.pool': pool };
    await Promise.all([
      engine.run({ name: 'bad-weight', networks: [netA], labels: { ...labels, 'lbpoc.port': '8080', 'lbpoc.weight': 'heavy' } }),
      engine.run({ name: 'bad-port', networks: [netA], labels: { ...labels, 'lbpoc.port': '99999' } }),
      engine.run({ name: 'no-port', networks: [netA], labels }),
      engine.run({ name: 'good', networks: [netA], labels: { ...labels, 'lbpoc.port': '8080' } }),
    ]);
    const { source, warnings } = await startSource({ pool });
    expect(source.current()).toHaveLength(1);
    const byContainer = Object.fromEntries(warnings.map((warning) => [warning.container, warning]));
    expect(byContainer[engine.name('bad-weight')]).toMatchObject({ label: 'lbpoc.weight', value: 'heavy' });
    expect(byContainer[engine.name('bad-weight')]!.message).toContain(
      `container "${engine.name('bad-weight')}": label lbpoc.weight="heavy" is invalid; expected an integer from 0 to 1000`,
    );
    expect(byContainer[engine.name('bad-port')]).toMatchObject({ label: 'lbpoc.port', value: '99999' });
    expect(byContainer[engine.name('no-port')]).toMatchObject({ label: 'lbpoc.port', value: undefined });
    expect(byContainer[engine.name('no-port')]!.message).toContain('no lbpoc.port label, and the image exposes no port');
    expect(warnings).toHaveLength(3); // once each, not once per inspection
  });

  it('admits a container with a HEALTHCHECK only while it is healthy', async () => {
    const pool = engine.name('health');
    const labels = { 'lbpoc.enable': 'true', 'lbpoc.pool': pool, 'lbpoc.port': '8080' };
    const { source } = await startSource({ pool });
    const [checked, control] = await Promise.all([
      engine.run({ name: 'checked', networks: [netA], labels, healthcheck: READY_FILE_HEALTHCHECK }),
      engine.run({ name: 'control', networks: [netA], labels }),
    ]);
    const [checkedIp, controlIp] = await Promise.all([engine.addressOn(checked, netA), engine.addressOn(control, netA)]);
    await waitFor('the control container to join', () => hosts(source).includes(controlIp));
    await waitFor('the checked container to be reported unhealthy', async () => (await checked.inspect()).State.Health?.Status === 'unhealthy');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hosts(source)).toEqual([controlIp]);

    await engine.exec(checked, "require('fs').writeFileSync('/tmp/ready', '')");
    await waitFor('the checked container to join once healthy', () => hosts(source).includes(checkedIp));
    await engine.exec(checked, "require('fs').rmSync('/tmp/ready')");
    await waitFor('the checked container to leave once unhealthy', () => !hosts(source).includes(checkedIp));
    expect(hosts(source)).toEqual([controlIp]);
  });

  it('takes the address on the right network of a container on several', async () => {
    const pool = engine.name('multi');
    const labels = { 'lbpoc.enable': 'true', 'lbpoc.pool': pool, 'lbpoc.port': '8080' };
    const [labelled, unlabelled] = await Promise.all([
      engine.run({ name: 'labelled', networks: [netA, netB], labels: { ...labels, 'lbpoc.network': netB } }),
      engine.run({ name: 'unlabelled', networks: [netA, netB], labels }),
    ]);
    const labelledOnB = await engine.addressOn(labelled, netB);
    const [unlabelledOnA, unlabelledOnB] = await Promise.all([engine.addressOn(unlabelled, netA), engine.addressOn(unlabelled, netB)]);

    // Nothing to decide by: the labelled one is used, the other skipped with a warning.
    const plain = await startSource({ pool, selfNetworks: [] });
    expect(hosts(plain.source)).toEqual([labelledOnB]);
    expect(plain.warnings).toHaveLength(1);
    expect(plain.warnings[0]).toMatchObject({ container: engine.name('unlabelled'), label: 'lbpoc.network' });
    expect(plain.warnings[0]!.message).toContain(`on several networks (`);

    // The network shared with the balancer decides; the label still wins.
    const shared = await startSource({ pool, selfNetworks: [netA] });
    expect(
      shared.source
        .current()
        .map((backend) => backend.host)
        .sort(),
    ).toEqual([labelledOnB, unlabelledOnA].sort());

    // The `network` option is the default when the container is on it.
    const byOption = await startSource({ pool, network: netB, selfNetworks: [netA] });
    expect(
      byOption.source
        .current()
        .map((backend) => backend.host)
        .sort(),
    ).toEqual([labelledOnB, unlabelledOnB].sort());

    // Detached from the labelled network: skipped (never another network), with a warning.
    await engine.docker.getNetwork(netB).disconnect({ Container: labelled.id });
    await waitFor('the labelled container to leave', () => !hosts(plain.source).includes(labelledOnB));
    await waitFor('a warning about its missing network', () =>
      plain.warnings.find((warning) => warning.container === engine.name('labelled') && warning.message.includes(`not attached to network "${netB}"`)),
    );
  });

  it('reads only its pool; the default pool is the Compose service, else the container name', async () => {
    const p1 = engine.name('pool-1');
    const base = { 'lbpoc.enable': 'true', 'lbpoc.port': '8080' };
    const [one, , solo] = await Promise.all([
      engine.run({ name: 'pool-1-a', networks: [netA], labels: { ...base, 'lbpoc.pool': p1 } }),
      engine.run({ name: 'pool-2-a', networks: [netA], labels: { ...base, 'lbpoc.pool': engine.name('pool-2') } }),
      engine.run({ name: 'solo', networks: [netA], labels: base }),
    ]);
    const { source } = await startSource({ pool: p1 });
    expect(hosts(source)).toEqual([await engine.addressOn(one, netA)]);
    const byName = await startSource({ pool: engine.name('solo') });
    expect(byName.source.current()).toEqual([expect.objectContaining({ host: await engine.addressOn(solo, netA), pool: engine.name('solo') })]);
  });

  it('loses no container started while it lists', async () => {
    const pool = engine.name('race');
    const labels = { 'lbpoc.enable': 'true', 'lbpoc.pool': pool, 'lbpoc.port': '8080' };
    const source = new DockerSource({ pool, selfNetworks: [] });
    sources.push(source);
    const [containers] = await Promise.all([Promise.all([1, 2, 3, 4].map((n) => engine.run({ name: `race-${n}`, networks: [netA], labels }))), source.start()]);
    const ips = await Promise.all(containers.map((container: Docker.Container) => engine.addressOn(container, netA)));
    await waitFor('all four containers', () => ips.every((ip) => hosts(source).includes(ip)), 5000);
  });

  it('close() stops watching and frees its sockets and timers', async () => {
    const pool = engine.name('closing');
    const labels = { 'lbpoc.enable': 'true', 'lbpoc.pool': pool, 'lbpoc.port': '8080' };
    // Only this source may hold handles while it is measured: the earlier tests' sources go first.
    await Promise.all(sources.map((source) => source.close()));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const resources = () => process.getActiveResourcesInfo().filter((type) => type !== 'TTYWrap');
    const before = resources();
    const source = new DockerSource({ pool, selfNetworks: [], heartbeatIntervalMs: 100 });
    await source.start();
    await engine.run({ name: 'closing-1', networks: [netA], labels });
    await waitFor('the first container', () => source.current().length === 1);
    expect(resources().length).toBeGreaterThan(before.length); // the event stream's socket and the heartbeat timer
    await source.close();
    await source.close(); // idempotent
    let changes = 0;
    source.addEventListener('change', () => changes++);
    await engine.run({ name: 'closing-2', networks: [netA], labels });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(changes).toBe(0);
    expect(source.current()).toHaveLength(1);
    expect(source.connected).toBe(false);
    await waitFor('the handles to be released', () => resources().length <= before.length || undefined, 2000);
    await expect(source.start()).rejects.toThrow(PoolClosedError);
  });

  it('start() rejects with DockerUnavailableError when no engine answers at the socket', async () => {
    const source = new DockerSource({ docker: { socketPath: '/tmp/lbpoc-no-such-docker.sock' }, requestTimeoutMs: 1000 });
    const error = await source.start().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DockerUnavailableError);
    expect((error as DockerUnavailableError).endpoint).toBe('unix:///tmp/lbpoc-no-such-docker.sock');
    expect((error as Error).message).toContain('no socket there (ENOENT)');
    expect((error as Error).message).toContain('Is dockerd running');
    await source.close();
  });
});
