import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { allPanelQueries, allTemplateVariables } from '../../infra/test/support/dashboards-json.js';
import { labelValuesAsPromQL, substituteInfluxQL, substitutePromQL } from '../../infra/test/support/grafana-template.js';
import { expectedRequests, scenarioPlan } from '../../infra/test/support/locust.js';
import { freePort } from '../../test-support/free-port.js';
import { startLoad } from '../src/closed-loop.js';
import { ComposeProject } from '../src/compose-project.js';
import { addressOn, type ContainerFacts, inspectContainers } from '../src/containers.js';
import { docker, type EngineInfo, engineEnv, loadEngine } from '../src/private-engine.js';
import { DEBIAN_IMAGE_SCRIPT } from '../src/repo.js';
import { run } from '../src/run.js';
import { notYet, waitFor } from '../src/wait-for.js';

/**
 * infra/compose.yaml's `full` profile on a real engine, less what cannot exist here: Locust,
 * its Prometheus metrics and InfluxDB run from images built from Debian's packages
 * (infra/images/debian-image.sh: lbpoc/locust:local, lbpoc/influxdb:local) beside the core
 * (balancer, backends, docker-api, Prometheus and node exporter). Grafana and cAdvisor have
 * no Debian package and no registry to come from, so they are not started, nor is
 * containersol/locust_exporter: Locust serves its statistics itself (LOCUST_EXPORTER_PORT)
 * under the name Prometheus scrapes (compose-full-profile.override.yaml says what differs
 * from a user's stack, and why).
 *
 * Locust runs the compose file's default scenario (baseline, 10 requests/s) shortened to a
 * minute, headless, through the balancer over the `public` network. While it runs, every
 * Prometheus query of the dashboards (panels and variables) must return data, except those on
 * cAdvisor's metrics (container_*: listed, not run) and those that only have data once
 * something fails (retries, rejections, no backend), which are provoked after the scenario
 * so that Locust's run stays clean. Then: zero failures, one InfluxDB point per request, and
 * every InfluxQL panel returns data.
 */

const SCENARIO = 'baseline';
const TIME_SCALE = 0.2;
const PLAN = scenarioPlan(SCENARIO, TIME_SCALE);
const PLANNED = expectedRequests(PLAN);
const RUN_SECONDS = PLAN.reduce((sum, stage) => sum + stage.seconds, 0);
const DATABASE = 'locust';

/** Queries on cAdvisor's metrics: no cAdvisor here (no Debian package, no registry). */
const CADVISOR = /\bcontainer_[a-z_]+/;
/** Queries whose series exist only once something failed: run after the scenario, with failures provoked. */
const AFTER_FAULTS = /\blbpoc_(retries_total|rejected_requests_total|no_backend_total)\b/;

const started = Date.now();
let engine: EngineInfo;
let project: ComposeProject;
let influxPort: number;
let locustOut: string;
let locustStartedAt: number;
let failed = false;

async function prometheus(expr: string): Promise<unknown[]> {
  const res = await fetch(`http://127.0.0.1:${project.ports.prometheus}/api/v1/query?${new URLSearchParams({ query: expr })}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { result: unknown[] } };
  // A query Prometheus rejects is a broken dashboard, not a wait: fail at once.
  if (body.status !== 'success') throw new Error(`Prometheus rejected ${expr}: ${body.error}`);
  return body.data!.result;
}

/** Waits, within `deadline`, until `expr` returns at least one series. */
async function expectPrometheusData(expr: string, where: string, deadline: number): Promise<void> {
  let rejected: Error | undefined;
  await waitFor(
    `${where}: data for ${expr}`,
    async () => {
      try {
        return (await prometheus(expr)).length > 0 || notYet('no series');
      } catch (error) {
        rejected = error as Error;
        return true;
      }
    },
    { timeoutMs: Math.max(deadline - Date.now(), 1000), intervalMs: 1000 },
  );
  if (rejected) throw rejected;
}

interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  values: unknown[][];
}

async function influx(q: string): Promise<InfluxSeries[]> {
  const res = await fetch(`http://127.0.0.1:${influxPort}/query?${new URLSearchParams({ db: DATABASE, q, epoch: 'ms' })}`);
  const body = (await res.json()) as { error?: string; results?: { error?: string; series?: InfluxSeries[] }[] };
  const error = body.error ?? body.results?.find((r) => r.error)?.error;
  if (!res.ok || error) throw new Error(`InfluxDB rejected ${q}: ${error ?? res.status}`);
  return body.results!.flatMap((r) => r.series ?? []);
}

/** Locust's own CSV of the run: one row per request name, then "Aggregated". */
function locustStats(): Record<string, string>[] {
  const [header, ...lines] = readFileSync(join(locustOut, 'locust_stats.csv'), 'utf8').trim().split('\n');
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [columns[i]!, value])));
}

async function locustContainer(): Promise<ContainerFacts & { exitCode: number; status: string }> {
  const ids = (
    await docker(engine, [
      'ps',
      '-aq',
      '--no-trunc',
      '--filter',
      `label=com.docker.compose.project=${project.name}`,
      '--filter',
      'label=com.docker.compose.service=locust',
    ])
  )
    .split('\n')
    .filter(Boolean);
  if (ids.length !== 1) throw new Error(`expected one locust container, found ${ids.length}`);
  const state = JSON.parse(await docker(engine, ['inspect', '--format', '{{json .State}}', ids[0]!])) as { ExitCode: number; Status: string };
  const [facts] = await inspectContainers(engine, ids);
  return { ...facts!, exitCode: state.ExitCode, status: state.Status };
}

beforeAll(async () => {
  engine = loadEngine(inject('engineDir'));
  // The images into this run's engine: imported from the cached root file systems (seconds),
  // made by debootstrap the first time on a machine (minutes; .ci/debian-images.sh does it
  // ahead of the tests in CI).
  const imagesStarted = Date.now();
  await run('bash', [DEBIAN_IMAGE_SCRIPT, 'locust', 'influxdb'], { env: engineEnv(engine), timeoutMs: 900_000 });
  const imagesMs = Date.now() - imagesStarted;

  influxPort = await freePort();
  locustOut = mkdtempSync(join(tmpdir(), 'lbpoc-e2e-locust-'));
  chmodSync(locustOut, 0o777); // Locust runs as uid 1000
  project = await ComposeProject.create(
    engine,
    {
      LOCUST_IMAGE: 'lbpoc/locust:local',
      INFLUXDB_IMAGE: 'lbpoc/influxdb:local',
      INFLUXDB_PORT: String(influxPort),
      LOCUST_PORT: String(await freePort()),
      LOCUST_SCENARIO: SCENARIO,
      LOCUST_TIME_SCALE: String(TIME_SCALE),
      LBPOC_E2E_LOCUST_OUT: locustOut,
    },
    [new URL('./compose-full-profile.override.yaml', import.meta.url).pathname],
  );
  const stackStarted = Date.now();
  await project.compose(
    ['--profile', 'full', 'up', '-d', '--no-build', 'docker-api', 'balancer', 'backend', 'backend-slow', 'prometheus', 'node-exporter', 'influxdb'],
    180_000,
  );
  await waitFor(
    'the balancer to report 4 healthy backends and InfluxDB to answer',
    async () => {
      const { backends } = (await (await fetch(`http://127.0.0.1:${project.ports.admin}/backends`)).json()) as { backends: { healthy: boolean }[] };
      const healthy = backends.filter((b) => b.healthy).length;
      if (healthy !== 4) return notYet(`${healthy} healthy of ${backends.length}`);
      return (await fetch(`http://127.0.0.1:${influxPort}/ping`)).status === 204 || notYet('InfluxDB /ping');
    },
    { timeoutMs: 90_000, intervalMs: 500 },
  );
  const stackMs = Date.now() - stackStarted;
  // Locust last, on a ready stack: its minute of load starts now.
  locustStartedAt = Date.now();
  await project.compose(['--profile', 'full', 'up', '-d', '--no-build', '--no-deps', 'locust'], 60_000);
  process.stdout.write(
    `full profile: images into the engine ${(imagesMs / 1000).toFixed(1)} s, core + InfluxDB up and healthy ${(stackMs / 1000).toFixed(1)} s; ` +
      `Locust ${SCENARIO} x ${TIME_SCALE}: ${PLANNED} requests in ${RUN_SECONDS} s (not started: grafana, cadvisor, locust-exporter)\n`,
  );
}, 960_000);

afterEach((context) => {
  if (context.task.result?.state === 'fail') failed = true;
});

afterAll(async () => {
  if (project !== undefined) {
    if (failed) process.stderr.write(`--- logs of ${project.name} ---\n${await project.logs(['locust', 'influxdb', 'balancer', 'prometheus'])}\n`);
    await project.down();
  }
  if (locustOut) rmSync(locustOut, { recursive: true, force: true });
  process.stdout.write(`full profile: the whole file took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
});

/** While Locust runs, plus a margin: the Locust queries need it alive. */
const runDeadline = () => locustStartedAt + (RUN_SECONDS - 2) * 1000;

describe('the full profile on a real engine, less Grafana and cAdvisor', () => {
  it('runs Locust and InfluxDB from the images built from Debian packages, hardened like the rest', async () => {
    const influxdb = await project.only('influxdb');
    const locust = await locustContainer();
    const inspected = JSON.parse(await docker(engine, ['inspect', influxdb.id, locust.id])) as {
      Config: { Image: string; User: string };
      HostConfig: { ReadonlyRootfs: boolean; CapDrop: string[] | null; SecurityOpt: string[] | null; Memory: number };
    }[];
    expect(inspected.map((c) => c.Config.Image)).toEqual(['lbpoc/influxdb:local', 'lbpoc/locust:local']);
    for (const c of inspected) {
      expect(c.Config.User).toBe('1000:1000');
      expect(c.HostConfig.ReadonlyRootfs).toBe(true);
      expect(c.HostConfig.CapDrop).toEqual(['ALL']);
      expect(c.HostConfig.SecurityOpt).toContain('no-new-privileges:true');
      expect(c.HostConfig.Memory).toBeGreaterThan(0);
    }
    const services = (
      await docker(engine, ['ps', '-a', '--format', '{{.Label "com.docker.compose.service"}}', '--filter', `label=com.docker.compose.project=${project.name}`])
    )
      .split('\n')
      .filter(Boolean);
    expect(services.filter((s) => ['grafana', 'cadvisor', 'locust-exporter'].includes(s))).toEqual([]);
  });

  it("sends Locust's traffic to the balancer's address on the public network", async () => {
    const locust = await locustContainer();
    const balancer = await project.only('balancer');
    // The host of Locust's --host, resolved inside the Locust container: Locust is on `public`
    // and `monitoring`, both the balancer's, and must come in through `public`.
    const args = JSON.parse(await docker(engine, ['inspect', '--format', '{{json .Args}}', locust.id])) as string[];
    const host = new URL(args[args.indexOf('--host') + 1]!).hostname;
    const resolved = (await docker(engine, ['exec', locust.id, 'python3', '-c', `import socket; print(socket.gethostbyname(${JSON.stringify(host)}))`])).trim();
    expect(resolved, `${host} resolved to ${resolved}; the balancer is ${JSON.stringify(balancer.networks)}`).toBe(addressOn(balancer, 'public'));
  });

  it("lets Prometheus scrape Locust's statistics (Locust's exporter, at locust-exporter:9646)", async () => {
    const target = await waitFor(
      'Prometheus to scrape Locust',
      async () => {
        const res = await fetch(`http://127.0.0.1:${project.ports.prometheus}/api/v1/targets?state=active`);
        const { data } = (await res.json()) as { data: { activeTargets: { labels: Record<string, string>; scrapeUrl: string; health: string }[] } };
        const locust = data.activeTargets.find((t) => t.labels.job === 'locust');
        return locust?.health === 'up' ? locust : notYet(JSON.stringify(locust));
      },
      { timeoutMs: 30_000, intervalMs: 1000 },
    );
    expect(target.scrapeUrl).toBe('http://locust-exporter:9646/metrics');
    await waitFor(
      "Prometheus to see Locust's 10 users",
      async () => {
        const [sample] = (await prometheus('sum(locust_users)')) as { value: [number, string] }[];
        return sample?.value[1] === '10' || notYet(JSON.stringify(sample));
      },
      { timeoutMs: 30_000, intervalMs: 1000 },
    );
  });

  const promQueries = allPanelQueries().filter((q) => q.datasource === 'prometheus');
  const cadvisor = promQueries.filter((q) => CADVISOR.test(q.query));
  // Locust's first: its series go stale once the scenario ends.
  const duringRun = promQueries
    .filter((q) => !CADVISOR.test(q.query) && !AFTER_FAULTS.test(q.query))
    .sort((a, b) => Number(b.query.includes('locust_')) - Number(a.query.includes('locust_')));
  const afterFaults = promQueries.filter((q) => AFTER_FAULTS.test(q.query));
  const variables = allTemplateVariables().filter((v) => !CADVISOR.test(v.query));

  it('has queries of every kind to check, and names the cAdvisor ones it cannot', () => {
    expect(duringRun.length).toBeGreaterThan(30);
    expect(afterFaults.length).toBe(3);
    expect(cadvisor.length).toBeGreaterThan(5);
    process.stdout.write(
      `full profile: PromQL not run (cAdvisor cannot run here):\n${cadvisor.map((q) => `  ${q.dashboard} / ${q.panel}: ${q.query}`).join('\n')}\n`,
    );
  });

  it.each(duringRun.map((q) => [`${q.dashboard} / ${q.panel} / ${q.refId}`, q.query] as const))('while Locust runs: %s', async (where, query) => {
    await expectPrometheusData(substitutePromQL(query), where, runDeadline());
  });

  it.each(variables.map((v) => [`${v.dashboard} / $${v.name}`, v.query] as const))('while Locust runs: variable %s', async (where, query) => {
    await expectPrometheusData(labelValuesAsPromQL(query), where, runDeadline());
  });

  it('ends the scenario by itself with zero failures and the planned request count', async () => {
    const locust = await waitFor(
      'Locust to finish its scenario and exit',
      async () => {
        const container = await locustContainer();
        return container.status === 'exited' ? container : notYet(container.status);
      },
      { timeoutMs: Math.max(locustStartedAt + (RUN_SECONDS + 60) * 1000 - Date.now(), 1000), intervalMs: 1000 },
    );
    // Locust exits 1 when any request failed.
    expect(locust.exitCode, await project.logs(['locust'], 60)).toBe(0);
    const total = locustStats().find((row) => row.Name === 'Aggregated')!;
    expect(Number(total['Failure Count'])).toBe(0);
    const made = Number(total['Request Count']);
    expect(Math.abs(made - PLANNED) / PLANNED, `${made} requests, planned ${PLANNED}`).toBeLessThanOrEqual(0.1);
    const logs = await project.logs(['locust'], 200);
    expect(logs).not.toMatch(/Traceback|influx_writer: write failed/);
  });

  it('has one InfluxDB point per request Locust made, every one a success', async () => {
    const made = Number(locustStats().find((row) => row.Name === 'Aggregated')!['Request Count']);
    const [count] = await influx('SELECT count("response_time") FROM "requests"');
    const written = count?.values[0]?.[1] as number;
    // Exact but for the request in flight when Locust stops, which one side may count alone.
    expect(Math.abs(written - made), `${written} points for ${made} requests`).toBeLessThanOrEqual(1);
    expect(await influx(`SELECT count("response_time") FROM "requests" WHERE "result" = 'failure'`)).toEqual([]);
    const [users] = await influx('SELECT max("user_count") FROM "users"');
    expect(users?.values[0]?.[1]).toBe(10);
  });

  it.each(
    allPanelQueries()
      .filter((q) => q.datasource === 'influxdb')
      .map((q) => [`${q.dashboard} / ${q.panel} / ${q.refId}`, q.query] as const),
  )('InfluxDB: %s', async (where, query) => {
    const values = (await influx(substituteInfluxQL(query))).flatMap((s) => s.values.map((row) => row[1])).filter((value) => value !== null);
    expect(values.length, `${where}: no data for ${query}`).toBeGreaterThan(0);
  });

  it('after the scenario, with failures provoked: retries, rejections and no backend are counted', async () => {
    const balancer = `http://127.0.0.1:${project.ports.balancer}`;
    // An algorithm that does not exist: rejected (400, unknown_algorithm).
    for (let i = 0; i < 3; i++) expect((await fetch(`${balancer}/?algo=no_such_algorithm`)).status).toBe(400);
    // Every backend killed under load: requests in flight on them are retried (and fail
    // again, on the next dead one), then there is no backend left (503).
    const load = startLoad({ url: `${balancer}/`, concurrency: 8, pauseMs: 0, maxRequests: 20_000, maxDurationMs: 30_000, timeoutMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const backends = [...(await project.containers('backend')), ...(await project.containers('backend-slow'))];
    await docker(engine, ['kill', ...backends.map((c) => c.id)]);
    await waitFor('the balancer to answer 503 for lack of a backend', async () => (await fetch(`${balancer}/`)).status === 503, {
      timeoutMs: 20_000,
      intervalMs: 250,
    });
    const report = await load.stop();
    process.stdout.write(`full profile: every backend killed under load: ${report.ok} ok, ${report.failures.length} failed (expected: no backend left)\n`);
    const deadline = Date.now() + 40_000;
    for (const q of afterFaults) await expectPrometheusData(substitutePromQL(q.query), `${q.dashboard} / ${q.panel} / ${q.refId}`, deadline);
  });
});
