import { request } from 'node:http';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { describeFailures, type LoadReport, startLoad } from '../src/closed-loop.js';
import { ComposeProject } from '../src/compose-project.js';
import { addressOn, type ContainerFacts, nodeInContainer } from '../src/containers.js';
import { docker, type EngineInfo, loadEngine, restartEngine } from '../src/private-engine.js';
import { notYet, waitFor } from '../src/wait-for.js';

/**
 * infra/compose.yaml on a real Docker engine (this run's private one, with live-restore):
 * the images built offline by infra/images/build.sh, the balancer discovering backends
 * by their labels through the docker-api proxy, and the things that happen to a
 * deployment: scaling up and down, a backend killed, the Docker daemon restarting.
 *
 * Traffic goes to ports published on 127.0.0.1, except in the daemon-restart test (see
 * there). The tests run in order and share the stack; each states what it starts from.
 */

let engine: EngineInfo;
let project: ComposeProject;
let failed = false;

interface Answer {
  readonly status: number;
  readonly backend: string;
  readonly body: { server_id?: string };
}

/** One GET through the balancer's published port. */
function get(path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: project.ports.balancer, path, timeout: 10_000, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: Answer['body'] = {};
        try {
          body = JSON.parse(text) as Answer['body'];
        } catch {
          // not JSON: the status says what happened
        }
        resolve({ status: res.statusCode ?? 0, backend: String(res.headers['x-lbpoc-backend'] ?? ''), body });
      });
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    req.end();
  });
}

async function getMany(path: string, count: number): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < count; i++) answers.push(await get(path));
  return answers;
}

/** Every container the balancer should balance over, by the address it dials: `ip:5000`. */
async function poolMembers(): Promise<Map<string, ContainerFacts>> {
  const containers = [...(await project.containers('backend')), ...(await project.containers('backend-slow'))];
  return new Map(containers.map((c) => [`${addressOn(c, 'backend')}:5000`, c]));
}

function expectNoFailures(report: LoadReport, minimumOk: number): void {
  expect(report.stoppedBy, 'the load ran until the test stopped it').toBe('stop');
  expect(report.failures.length, describeFailures(report)).toBe(0);
  expect(report.ok).toBeGreaterThanOrEqual(minimumOk);
}

beforeAll(async () => {
  engine = loadEngine(inject('engineDir'));
  // Containers survive a daemon restart only with live-restore (the swarm file turns it off).
  if (!engine.liveRestore) engine = await restartEngine(engine, { liveRestore: true });
  project = await ComposeProject.create(engine);
  await project.compose(['up', '-d', '--no-build'], 180_000);
  await waitFor(
    'the balancer to report 4 healthy backends (3 backend + 1 backend-slow)',
    async () => {
      const res = await fetch(`http://127.0.0.1:${project.ports.admin}/backends`);
      const { backends } = (await res.json()) as { backends: { healthy: boolean }[] };
      const healthy = backends.filter((b) => b.healthy).length;
      return healthy === 4 || notYet(`${healthy} healthy of ${backends.length}`);
    },
    { timeoutMs: 90_000, intervalMs: 500 },
  );
  // The admin port answers before the traffic port (the worker threads start after it):
  // /readyz is what says the traffic port serves, as it is for an orchestrator.
  await waitFor('the balancer to be ready (/readyz 200)', async () => (await fetch(`http://127.0.0.1:${project.ports.admin}/readyz`)).status === 200, {
    timeoutMs: 60_000,
    intervalMs: 250,
  });
});

afterEach((context) => {
  if (context.task.result?.state === 'fail') failed = true;
});

afterAll(async () => {
  if (project === undefined) return;
  if (failed) process.stderr.write(`--- logs of ${project.name} ---\n${await project.logs(['balancer', 'docker-api'])}\n`);
  await project.down();
});

describe('infra/compose.yaml on a real engine', () => {
  it('sends traffic to every backend container, and x-lbpoc-backend names each one by its address', async () => {
    const members = await poolMembers();
    expect(members.size).toBe(4);
    const answers = await getMany('/?algo=round_robin', 40);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => a.backend))).toEqual(new Set(members.keys()));
    for (const answer of answers) {
      // The backend answers with its host name, which Docker sets to the container's short id.
      expect(answer.body.server_id).toBe(members.get(answer.backend)?.id.slice(0, 12));
    }
  });

  it('runs every container as the compose file says: non-root, read-only, no capabilities, limited', async () => {
    const ids = (await docker(engine, ['ps', '-q', '--no-trunc', '--filter', `label=com.docker.compose.project=${project.name}`])).split('\n').filter(Boolean);
    const inspected = JSON.parse(await docker(engine, ['inspect', ...ids])) as {
      Name: string;
      Config: { User: string };
      HostConfig: { ReadonlyRootfs: boolean; CapDrop: string[] | null; SecurityOpt: string[] | null; Memory: number; NanoCpus: number; Privileged: boolean };
    }[];
    expect(inspected.length).toBe(8); // docker-api, balancer, 3 backend, backend-slow, prometheus, node-exporter
    for (const c of inspected) {
      const name = c.Name.slice(1);
      if (!name.includes('docker-api')) expect(c.Config.User, name).toMatch(/^[1-9]\d*:\d+$/);
      expect(c.HostConfig.ReadonlyRootfs, name).toBe(true);
      expect(c.HostConfig.CapDrop, name).toEqual(['ALL']);
      expect(c.HostConfig.SecurityOpt, name).toContain('no-new-privileges:true');
      expect(c.HostConfig.Privileged, name).toBe(false);
      expect(c.HostConfig.Memory, name).toBeGreaterThan(0);
      expect(c.HostConfig.NanoCpus, name).toBeGreaterThan(0);
    }
  });

  it("runs one worker thread per CPU of the balancer's limit (WORKERS=auto reads the cgroup quota)", async () => {
    const balancer = await project.only('balancer');
    const [inspected] = JSON.parse(await docker(engine, ['inspect', balancer.id])) as { HostConfig: { NanoCpus: number } }[];
    const cpus = Math.ceil((inspected?.HostConfig.NanoCpus ?? 0) / 1e9);
    expect(cpus, 'the compose file limits the balancer to whole CPUs').toBeGreaterThan(0);
    const metrics = await (await fetch(`http://127.0.0.1:${project.ports.admin}/metrics`)).text();
    const workers = /^lbpoc_workers(?:\{[^}]*\})? (\d+)$/m.exec(metrics)?.[1];
    expect(Number(workers), 'lbpoc_workers').toBe(Math.min(cpus, availableParallelism()));
  });

  it('gives the balancer no socket: its Docker access is the proxy, which reads and refuses writes', async () => {
    const balancer = await project.only('balancer');
    expect(balancer.mounts, 'the balancer mounts nothing from the host').toEqual([]);
    const proxy = await project.only('docker-api');
    expect(proxy.mounts.map((m) => [m.Source, m.Destination, m.RW])).toEqual([[engine.socketDir, '/host/docker-run', false]]);

    const [backend] = await project.containers('backend');
    // From inside the balancer: what a compromised balancer could do with its Docker access.
    const seen = await nodeInContainer<Record<string, unknown>>(
      engine,
      balancer.id,
      `const api = 'http://docker-api:2375/v1.41';
       const post = (path, body) => fetch(api + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.status);
       const list = await fetch(api + '/containers/json').then((r) => r.status);
       const inspect = await fetch(api + '/containers/${backend?.id}/json').then((r) => r.json());
       console.log(JSON.stringify({
         list,
         create: await post('/containers/create', { Image: 'lbpoc/backend:local', HostConfig: { Privileged: true, Binds: ['/:/host'] } }),
         exec: await post('/containers/${backend?.id}/exec', { Cmd: ['node', '-e', '1'] }),
         kill: await post('/containers/${backend?.id}/kill', {}),
         logs: await fetch(api + '/containers/${backend?.id}/logs?stdout=1').then((r) => r.status),
         hasEnv: 'Env' in inspect.Config,
         label: inspect.Config.Labels['lbpoc.enable'],
       }));`,
    );
    expect(seen).toEqual({ list: 200, create: 403, exec: 403, kill: 403, logs: 403, hasEnv: false, label: 'true' });
    expect((await project.only('backend-slow')).running).toBe(true);
  });

  it('runs Prometheus and node exporter from the local images built from Debian binaries', async () => {
    const metrics = await (await fetch(`http://127.0.0.1:${project.ports.nodeExporter}/metrics`)).text();
    expect(metrics).toMatch(/^node_cpu_seconds_total\{/m);
    await waitFor(
      'Prometheus to be ready and scrape node exporter',
      async () => {
        const res = await fetch(`http://127.0.0.1:${project.ports.prometheus}/api/v1/query?query=${encodeURIComponent('up{job="node-exporter"}')}`);
        const { data } = (await res.json()) as { data: { result: { value: [number, string] }[] } };
        return data.result[0]?.value[1] === '1';
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
  });

  it('lets Prometheus find the balancer and every backend by their labels (docker_sd through the proxy)', async () => {
    const members = await poolMembers();
    const targets = await waitFor(
      'Prometheus to scrape the balancer, 3 backend and 1 backend-slow containers',
      async () => {
        const res = await fetch(`http://127.0.0.1:${project.ports.prometheus}/api/v1/targets?state=active`);
        const { data } = (await res.json()) as { data: { activeTargets: { labels: Record<string, string>; health: string }[] } };
        const up = data.activeTargets.filter((t) => t.health === 'up').map((t) => t.labels);
        const count = (job: string) => up.filter((labels) => labels.job === job).length;
        return count('balancer') === 1 && count('backend') === 3 && count('backend-slow') === 1
          ? up
          : notYet(JSON.stringify(data.activeTargets.map((t) => [t.labels.job, t.health])));
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    const containers = new Set([...members.values()].map((c) => c.name));
    expect(new Set(targets.filter((t) => t.job?.startsWith('backend')).map((t) => t.container))).toEqual(containers);
  });

  it('makes the algorithms differ: weighted round robin gives backend-slow (weight 1 of 10) a third of round robin share', async () => {
    const slow = `${addressOn(await project.only('backend-slow'), 'backend')}:5000`;
    const share = async (algo: string) => (await getMany(`/?algo=${algo}`, 100)).filter((a) => a.backend === slow).length;
    const roundRobin = await share('round_robin');
    const weighted = await share('weighted_round_robin');
    // Round robin: 1 in 4 (25); smooth weighted round robin over 3,3,3,1: 1 in 10 (10).
    expect(roundRobin).toBeGreaterThanOrEqual(20);
    expect(weighted).toBeLessThanOrEqual(15);
  });

  it('`up --scale backend=5`: five distinct backends serve, without restarting the balancer', async () => {
    const before = await project.only('balancer');
    const started = Date.now();
    await project.compose(['up', '-d', '--no-build', '--no-recreate', '--scale', 'backend=5']);
    const composeMs = Date.now() - started;
    const backends = await project.containers('backend');
    expect(backends).toHaveLength(5);
    const wanted = backends.map((c) => `${addressOn(c, 'backend')}:5000`);
    const seen = new Set<string>();
    await waitFor(
      'all five backend containers to answer through the balancer',
      async () => {
        for (const answer of await getMany('/?algo=round_robin', 12)) if (answer.status === 200) seen.add(answer.backend);
        return wanted.every((address) => seen.has(address)) || notYet(`seen ${[...seen].join(', ')}`);
      },
      // A bound on waiting, not a speed goal: alone on this machine all five serve in about
      // 7 s; with the rest of CI on the same two cores it has taken 35 s. The figure is printed.
      { timeoutMs: 90_000, intervalMs: 100 },
    );
    const elapsedMs = Date.now() - started;
    process.stdout.write(`scale to 5: compose took ${composeMs} ms, all five served after ${elapsedMs} ms\n`);
    const after = await project.only('balancer');
    expect([after.id, after.startedAt, after.restartCount]).toEqual([before.id, before.startedAt, before.restartCount]);
  });

  it('scale down to 2 under continuous load: zero failed requests', async () => {
    const load = startLoad({ url: `http://127.0.0.1:${project.ports.balancer}/`, concurrency: 4, pauseMs: 10, maxRequests: 50_000, maxDurationMs: 90_000 });
    await sleep(1500);
    await project.compose(['up', '-d', '--no-build', '--no-recreate', '--scale', 'backend=2']);
    const mark = load.count;
    await sleep(3000);
    const report = await load.stop();
    expectNoFailures(report, 200);
    const remaining = await poolMembers();
    expect(remaining.size).toBe(3);
    // After the scale-down only the remaining containers answer.
    expect([...load.backendsSince(mark)].every((address) => remaining.has(address))).toBe(true);
  });

  it('`docker kill` of a backend under load: zero failed GETs', async () => {
    const [victim] = await project.containers('backend');
    if (victim === undefined) throw new Error('no backend container to kill');
    const load = startLoad({ url: `http://127.0.0.1:${project.ports.balancer}/`, concurrency: 4, pauseMs: 10, maxRequests: 50_000, maxDurationMs: 90_000 });
    await sleep(1500);
    await docker(engine, ['kill', victim.id]);
    // Long enough for health checks (every 2 s, 3 failures) to take it out; until then the
    // balancer's retry on another backend is what keeps GETs from failing.
    await sleep(8000);
    const report = await load.stop();
    expectNoFailures(report, 300);
  });

  it('a Docker daemon restart: the balancer keeps serving throughout and sees a container started after it', async () => {
    const balancer = await project.only('balancer');
    // Through the balancer's own address, not the published port: a published port is
    // served by docker-proxy, a child of dockerd that dies and comes back with it, so a
    // client of 127.0.0.1:<port> sees a gap that is Docker's, not the balancer's. (That gap
    // is measured alongside and reported.) The address belongs to a container this run started.
    const direct = startLoad({
      url: `http://${addressOn(balancer, 'public')}:5000/`,
      concurrency: 4,
      pauseMs: 10,
      maxRequests: 100_000,
      maxDurationMs: 150_000,
    });
    const published = startLoad({
      url: `http://127.0.0.1:${project.ports.balancer}/`,
      concurrency: 1,
      pauseMs: 50,
      maxRequests: 10_000,
      maxDurationMs: 150_000,
      timeoutMs: 3000,
    });
    await sleep(1500);

    // "kill dockerd, start it again": SIGKILL, as in a crash; live-restore keeps the containers.
    const restartStarted = Date.now();
    engine = await restartEngine(engine, { liveRestore: true, signal: 'SIGKILL' });
    const restartMs = Date.now() - restartStarted;

    const before = new Set((await project.containers('backend')).map((c) => c.id));
    await project.compose(['up', '-d', '--no-build', '--no-recreate', '--scale', `backend=${before.size + 1}`]);
    const started = (await project.containers('backend')).find((c) => !before.has(c.id));
    if (started === undefined) throw new Error('no new backend container after scaling up');
    const address = `${addressOn(started, 'backend')}:5000`;
    const mark = direct.count;
    const seenAfterMs = await waitFor(
      `the balancer to send traffic to ${started.name} (${address}), started after the restart`,
      () => direct.backendsSince(mark).has(address) && Date.now() - restartStarted,
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const report = await direct.stop();
    const publishedReport = await published.stop();
    process.stdout.write(
      `daemon restart: dockerd back in ${restartMs} ms; new container served ${seenAfterMs} ms after the kill; ` +
        `balancer: ${report.ok} ok / ${report.failures.length} failed; published port (docker-proxy): ${publishedReport.ok} ok / ${publishedReport.failures.length} failed\n`,
    );
    expectNoFailures(report, 300);
    const after = await project.only('balancer');
    expect([after.id, after.startedAt]).toEqual([balancer.id, balancer.startedAt]);
  });
});
