import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allPanelQueries } from './support/dashboards-json.js';
import { substituteInfluxQL } from './support/grafana-template.js';
import { type InfluxServer, startInfluxDb } from './support/influxdb-server.js';
import { type LocalStack, REPO, startLocalStack } from './support/local-stack.js';
import { expectedRequests, type LocustRun, runLocust } from './support/locust.js';
import { requireTool } from './support/tools.js';

/**
 * The InfluxDB path for real: Locust's request listener (infra/locust/influx_writer.py)
 * writes every request to Debian's InfluxDB 1.x, and every InfluxQL query of the Load
 * Testing dashboard returns data from what it wrote.
 *
 * Locust runs with the `influxdb` Python package blocked (a PYTHONPATH entry that shadows
 * it and fails on import), as in the official Locust image, which lacks it: the writer's
 * standard-library path is the only one that can be writing. The database does not
 * exist beforehand: the writer creates it.
 */
const DATABASE = 'locust';
let influx: InfluxServer;
let stack: LocalStack;
let run: LocustRun;
let blocker: string;

/** A folder for PYTHONPATH whose `influxdb` package fails to import. */
function influxdbBlocker(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lbpoc-no-influxdb-'));
  mkdirSync(join(dir, 'influxdb'));
  writeFileSync(join(dir, 'influxdb', '__init__.py'), 'raise ImportError("the influxdb package is blocked by infra/test/influxdb.test.ts")\n');
  return dir;
}

beforeAll(async () => {
  blocker = influxdbBlocker();
  influx = await startInfluxDb();
  stack = await startLocalStack([
    { id: 'fast', delay: '5' },
    { id: 'slow', delay: 'exp:40' },
  ]);
  // Two algorithms, 4 s at 50 requests/s each: about 400 requests.
  run = await runLocust({
    scenario: 'algorithm_comparison',
    timeScale: 1 / 30,
    host: stack.balancer.url,
    env: { ALGORITHMS: 'round_robin,p2c', INFLUXDB_URL: `${influx.url}/${DATABASE}`, PYTHONPATH: blocker },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await influx?.stop();
  if (blocker) rmSync(blocker, { recursive: true, force: true });
});

describe('the influxdb package is out of reach', () => {
  it('cannot be imported with the PYTHONPATH Locust runs with', () => {
    const python = requireTool('python');
    const tryImport = () => execFileSync(python, ['-c', 'import influxdb'], { env: { PATH: '/usr/bin:/bin', PYTHONPATH: blocker }, stdio: 'pipe' });
    expect(tryImport).toThrow(/blocked by infra\/test\/influxdb.test.ts/);
  });

  it('is not imported by the writer', () => {
    const source = readFileSync(`${REPO}infra/locust/influx_writer.py`, 'utf8');
    expect(source).not.toMatch(/^\s*(import|from)\s+influxdb\b/m);
  });
});

const first = (series: { values: unknown[][] }[]) => series[0]?.values[0]?.[1];

describe('Locust -> InfluxDB', () => {
  it('ran cleanly', () => {
    expect(run.code, run.log).toBe(0);
    expect(run.log).not.toContain('influx_writer: write failed');
    expect(run.log).not.toMatch(/Traceback|ImportError/);
  });

  it('wrote one point per request Locust made', async () => {
    const made = Number(run.stats.find((row) => row.Name === 'Aggregated')!['Request Count']);
    expect(made).toBeGreaterThan(300);
    const written = first(await influx.query(DATABASE, 'SELECT count("response_time") FROM "requests"')) as number;
    // Exact but for the request in flight when Locust stops, which one side may count alone.
    expect(Math.abs(written - made), `${written} points for ${made} requests`).toBeLessThanOrEqual(1);
  });

  it('tags each point with its algorithm and result', async () => {
    const byAlgorithm = await influx.query(DATABASE, 'SELECT count("response_time") FROM "requests" GROUP BY "algorithm"');
    expect(byAlgorithm.map((s) => s.tags!.algorithm).sort()).toEqual(['p2c', 'round_robin']);
    const failures = await influx.query(DATABASE, `SELECT count("response_time") FROM "requests" WHERE "result" = 'failure'`);
    expect(failures).toEqual([]);
    const statuses = await influx.query(DATABASE, 'SELECT min("status_code"), max("status_code") FROM "requests"');
    expect(statuses[0]!.values[0]!.slice(1)).toEqual([200, 200]);
  });

  it('recorded the user count over time', async () => {
    expect(first(await influx.query(DATABASE, 'SELECT max("user_count") FROM "users"'))).toBe(50);
  });

  const influxQueries = allPanelQueries().filter((q) => q.datasource === 'influxdb');

  it('has InfluxQL panels to check', () => {
    expect(influxQueries.length).toBeGreaterThanOrEqual(4);
  });

  it.each(influxQueries.map((q) => [`${q.dashboard} / ${q.panel} / ${q.refId}`, q.query] as const))('panel %s returns data', async (where, query) => {
    const series = await influx.query(DATABASE, substituteInfluxQL(query));
    const values = series.flatMap((s) => s.values.map((row) => row[1])).filter((value) => value !== null);
    expect(values.length, `${where}: no data for ${query}`).toBeGreaterThan(0);
  });
});

describe('Locust -> an InfluxDB that never answers', () => {
  // A TCP listener that accepts and then says nothing: the worst case for a writer that
  // waits on the network. The load must not notice: the writer yields (gevent), times out,
  // keeps its points, logs, and Locust still exits by itself.
  let blackHole: Server;
  const sockets = new Set<Socket>();
  let silent: LocustRun;
  let seconds: number;

  beforeAll(async () => {
    blackHole = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const { port } = blackHole.address() as { port: number };
    const started = Date.now();
    // baseline: 10 requests/s, shortened to 9 s.
    silent = await runLocust({
      scenario: 'baseline',
      timeScale: 0.03,
      host: stack.balancer.url,
      env: { INFLUXDB_URL: `http://127.0.0.1:${port}/${DATABASE}`, PYTHONPATH: blocker },
    });
    seconds = (Date.now() - started) / 1000;
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => blackHole?.close(resolve));
  });

  it('makes the planned requests, on time, and says the writes failed', () => {
    expect(silent.code, silent.log).toBe(0);
    const planned = expectedRequests(silent.plan);
    const made = Number(silent.stats.find((row) => row.Name === 'Aggregated')!['Request Count']);
    expect(Math.abs(made - planned) / planned, `${made} requests, planned ${planned}`).toBeLessThanOrEqual(0.1);
    expect(silent.log).toContain('influx_writer: write failed (timed out)');
    const summary = /\d+ points written to http:\/\/127\.0\.0\.1:\d+\/locust; \d+ unwritten at exit.*/.exec(silent.log);
    expect(summary, silent.log).not.toBeNull();
    process.stdout.write(`influxdb black hole: ${made} requests (planned ${planned}), Locust done in ${seconds.toFixed(1)} s; ${summary![0]}\n`);
    // 9 s of load; the last flush gives up after its bounded wait (2 x 5 s + 1 s).
    expect(seconds, silent.log).toBeLessThan(9 + 11 + 10);
  });
});

describe('infra/compose.yaml', () => {
  const compose = parse(readFileSync(`${REPO}infra/compose.yaml`, 'utf8'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string>; depends_on?: string[]; image?: string }>;
  };

  it("has Locust write to the stack's InfluxDB by default, in the database Grafana reads", () => {
    const locust = compose.services.locust!;
    expect(locust.environment?.INFLUXDB_URL).toBe('${LOCUST_INFLUXDB_URL-http://influxdb:8086/locust}');
    expect(locust.depends_on).toContain('influxdb');
    const datasources = readFileSync(`${REPO}infra/grafana/provisioning/datasources/datasources.yml`, 'utf8');
    expect(datasources).toMatch(/url: http:\/\/influxdb:8086\n[\s\S]*database: locust\n/);
  });
});
