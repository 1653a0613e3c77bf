import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { nodeInContainer } from '../src/containers.js';
import { docker, type EngineInfo, engineEnv, initSwarm, leaveSwarm, loadEngine, restartEngine } from '../src/private-engine.js';
import { REPO_ROOT, STACK_FILE } from '../src/repo.js';
import { run } from '../src/run.js';
import { notYet, waitFor } from '../src/wait-for.js';

/**
 * infra/stack.yaml with `docker stack deploy` on a single-node swarm (this run's private
 * engine): the balancer in DOCKER_MODE=swarm balancing over the tasks of the backend
 * services. Swarm cannot publish on 127.0.0.1, so nothing is published: traffic is sent
 * from inside the balancer's task to its own 127.0.0.1:5000.
 */

let engine: EngineInfo;
const stack = `lbpoc-e2e-${randomBytes(3).toString('hex')}`;

interface Tally {
  readonly counts: Record<string, number>;
  readonly failed: number;
  /** Each failed request: its status and body, or the error. */
  readonly failures: readonly string[];
}

async function balancerTask(): Promise<string> {
  return waitFor(
    'a running balancer task',
    async () => (await docker(engine, ['ps', '-q', '--filter', `label=com.docker.swarm.service.name=${stack}_balancer`])).trim().split('\n')[0] || undefined,
    { timeoutMs: 60_000, intervalMs: 500 },
  );
}

/** `count` GETs from inside the balancer's task, tallied by x-lbpoc-backend. */
async function tally(count: number): Promise<Tally> {
  return nodeInContainer<Tally>(
    engine,
    await balancerTask(),
    `const counts = {}; const failures = [];
     for (let i = 0; i < ${count}; i++) {
       try {
         const res = await fetch('http://127.0.0.1:5000/?algo=round_robin', { signal: AbortSignal.timeout(5000) });
         const body = await res.text();
         if (res.status === 200) { const b = res.headers.get('x-lbpoc-backend'); counts[b] = (counts[b] ?? 0) + 1; }
         else failures.push(res.status + ' ' + body.slice(0, 200));
       } catch (error) { failures.push(String(error?.cause?.code ?? error?.cause ?? error)); }
     }
     console.log(JSON.stringify({ counts, failed: failures.length, failures }));`,
  );
}

/** `ip:5000` of every running task of the stack's backend services, on the backend network. */
async function taskAddresses(): Promise<Set<string>> {
  const addresses = new Set<string>();
  for (const service of ['backend', 'backend-slow']) {
    const ids = (await docker(engine, ['service', 'ps', '-q', '--filter', 'desired-state=running', `${stack}_${service}`])).split('\n').filter(Boolean);
    const tasks = JSON.parse(await docker(engine, ['inspect', '--type', 'task', ...ids])) as {
      Status: { State: string };
      NetworksAttachments?: { Network: { Spec: { Name: string } }; Addresses: string[] }[];
    }[];
    for (const task of tasks) {
      if (task.Status.State !== 'running') continue;
      const attachment = task.NetworksAttachments?.find((a) => a.Network.Spec.Name === `${stack}_backend`);
      if (attachment?.Addresses[0]) addresses.add(`${attachment.Addresses[0].replace(/\/\d+$/, '')}:5000`);
    }
  }
  return addresses;
}

/** Every task of the backend services with its state and error: what Swarm did, for a failure message. */
async function taskHistory(): Promise<string> {
  const format = '{{.Name}} {{.DesiredState}} {{.CurrentState}} {{.Error}}';
  const lines = await Promise.all(
    ['backend', 'backend-slow'].map((service) => docker(engine, ['service', 'ps', '--no-trunc', '--format', format, `${stack}_${service}`])),
  );
  return lines.join('');
}

beforeAll(async () => {
  engine = loadEngine(inject('engineDir'));
  // Docker refuses swarm mode on an engine with live-restore.
  if (engine.liveRestore) engine = await restartEngine(engine, { liveRestore: false });
  await initSwarm(engine);
  await run('docker', ['stack', 'deploy', '--resolve-image', 'never', '--compose-file', STACK_FILE, stack], {
    cwd: REPO_ROOT,
    env: engineEnv(engine, {
      PROMETHEUS_IMAGE: 'lbpoc/prometheus:local',
      NODE_EXPORTER_IMAGE: 'lbpoc/node-exporter:local',
      DOCKER_SOCKET_DIR: engine.socketDir,
      BACKEND_REPLICAS: '3',
      DOCKER_POLL_INTERVAL_MS: '1000',
    }),
    timeoutMs: 120_000,
  });
  await waitFor(
    'the balancer to serve 4 tasks (3 backend + 1 backend-slow)',
    async () => {
      const { counts } = await tally(8);
      return Object.keys(counts).length === 4 || notYet(JSON.stringify(counts));
    },
    { timeoutMs: 120_000, intervalMs: 1000 },
  );
});

afterAll(async () => {
  if (engine === undefined) return;
  await docker(engine, ['stack', 'rm', stack]).catch(() => undefined);
  await waitFor(
    'the stack containers to be gone',
    async () => (await docker(engine, ['ps', '-aq', '--filter', `label=com.docker.stack.namespace=${stack}`])).trim() === '',
    { timeoutMs: 60_000, intervalMs: 500 },
  ).catch(() => undefined);
  await leaveSwarm(engine);
});

describe('infra/stack.yaml on a single-node swarm', () => {
  it('balances over every task of the backend services (DOCKER_MODE=swarm)', async () => {
    const tasks = await taskAddresses();
    expect(tasks.size).toBe(4);
    const { counts, failed } = await tally(40);
    expect(failed).toBe(0);
    expect(new Set(Object.keys(counts))).toEqual(tasks);
  });

  it('follows `docker service scale backend=5`', async () => {
    await docker(engine, ['service', 'scale', '--detach', `${stack}_backend=5`]);
    const failures: string[] = [];
    // Served and running are read one after the other, so a task that Swarm replaces in
    // between (its health check failing on a loaded host) shows in one and not the other:
    // wait until both agree on 6 tasks, and say what Swarm did if they never do.
    const served = await waitFor(
      'the balancer to serve exactly the 6 running tasks (5 backend + 1 backend-slow)',
      async () => {
        const round = await tally(18);
        failures.push(...round.failures);
        const serving = new Set(Object.keys(round.counts));
        const running = await taskAddresses();
        const agree = serving.size === 6 && running.size === 6 && [...serving].every((a) => running.has(a));
        return agree ? serving : notYet(`served ${JSON.stringify(round.counts)}; running ${JSON.stringify([...running])}\n${await taskHistory()}`);
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    const logs = failures.length === 0 ? '' : await docker(engine, ['service', 'logs', '--tail', '60', `${stack}_balancer`]).catch(String);
    const history = failures.length === 0 ? '' : await taskHistory();
    expect(failures, `requests failed while the service scaled up; the tasks:\n${history}\nthe balancer's log:\n${logs}`).toEqual([]);
    expect(served.size).toBe(6);
  });
});
