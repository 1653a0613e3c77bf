import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPanelQueries } from './support/dashboards-json.js';
import { substituteInfluxQL } from './support/grafana-template.js';
import { type InfluxServer, startInfluxDb } from './support/influxdb-server.js';
import { type LocalStack, startLocalStack } from './support/local-stack.js';
import { type LocustRun, runLocust } from './support/locust.js';

/**
 * The InfluxDB path for real: Locust's request listener (infra/locust/influx_writer.py)
 * writes every request to Debian's InfluxDB 1.x, and every InfluxQL query of the Load
 * Testing dashboard returns data from what it wrote.
 */
const DATABASE = 'locust';
let influx: InfluxServer;
let stack: LocalStack;
let run: LocustRun;

beforeAll(async () => {
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
    env: { ALGORITHMS: 'round_robin,p2c', INFLUXDB_URL: `${influx.url}/${DATABASE}` },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await influx?.stop();
});

const first = (series: { values: unknown[][] }[]) => series[0]?.values[0]?.[1];

describe('Locust -> InfluxDB', () => {
  it('ran cleanly', () => {
    expect(run.code, run.log).toBe(0);
    expect(run.log).not.toContain('influx_writer: write failed');
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
