import { ALGORITHM_NAMES } from '@lbpoc/algorithms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { freePort } from '../../test-support/free-port.js';
import { alertRules, PROMETHEUS_DIR } from './support/alert-rules.js';
import { Child, httpOk, waitUntil } from './support/child.js';
import { allPanelQueries, allTemplateVariables } from './support/dashboards-json.js';
import { alertSignal, labelValuesAsPromQL, substitutePromQL } from './support/grafana-template.js';
import { drive } from './support/load.js';
import { type LocalStack, type RunningBalancer, startBalancer, startLocalStack } from './support/local-stack.js';
import { LOCUST_DIR } from './support/locust.js';
import { startNodeExporter } from './support/node-exporter.js';
import { type PrometheusServer, startPrometheus } from './support/prometheus-server.js';
import { requireTool } from './support/tools.js';

/**
 * Every PromQL expression of every dashboard panel, dashboard variable and alert rule,
 * against a REAL Prometheus that scrapes a real balancer, real backends and a real node
 * exporter on 127.0.0.1. Grafana itself cannot run here; this is the part of "does the
 * dashboard show anything" that can be checked without it.
 *
 * Locust runs too, with the exporter built into infra/locust (containersol/locust_exporter's
 * metric names). cAdvisor cannot run on this machine (no image registry, no Debian
 * package): queries on its metrics are only checked to parse and evaluate, and listed.
 */
const ONLY_PARSED: { source: string; pattern: RegExp }[] = [{ source: 'cAdvisor', pattern: /\bcontainer_[a-z_]+/ }];
const onlyParsed = (expr: string) => ONLY_PARSED.find(({ pattern }) => pattern.test(expr))?.source;

/** Alerts whose condition this setup makes true, so their full expression must return data. */
const MADE_TO_FIRE = ['LbpocBackendDown', 'LbpocNoHealthyBackend', 'LbpocHighErrorRatio', 'LbpocRateLimiting'];

let stack: LocalStack;
let edge: RunningBalancer;
let nodeExporter: { address: string; child: Child };
let prometheus: PrometheusServer;
let locust: Child;
const parsedOnly: string[] = [];

function scrapeConfig(job: string, targets: { address: string; container: string }[]) {
  // The labels the docker_sd relabelling gives in the Compose stack (job, pool, container).
  return {
    job_name: job,
    static_configs: targets.map(({ address, container }) => ({ targets: [address], labels: { pool: job, container } })),
  };
}

beforeAll(async () => {
  stack = await startLocalStack(
    [
      { id: 'fast', delay: '5', weight: 3 },
      { id: 'slow', delay: 'exp:80', weight: 1 },
      { id: 'flaky', delay: '5', errorRate: 0.4 },
      { id: 'doomed', delay: '5' },
    ],
    // Keep the flaky backend in rotation so its 5xx keep coming.
    { EJECT_AFTER_5XX: '0' },
  );
  // A second balancer whose only backend never answers: no healthy backend (503s, panic
  // mode off) and a low rate limit that this test's burst of requests goes over.
  edge = await startBalancer(`127.0.0.1:${await freePort()}`, { PANIC_THRESHOLD: '0', RATE_LIMIT_RPS: '2', RATE_LIMIT_BURST: '3' });
  nodeExporter = await startNodeExporter();
  // Locust's baseline (10 requests/s) for as long as this test needs it; stopped in afterAll.
  const locustExporterPort = await freePort();
  locust = new Child('locust', requireTool('locust'), ['-f', `${LOCUST_DIR}locustfile.py`, '--headless', '--host', stack.balancer.url, '--only-summary'], {
    env: { SCENARIO: 'baseline', TIME_SCALE: '0.5', LOCUST_EXPORTER_HOST: '127.0.0.1', LOCUST_EXPORTER_PORT: String(locustExporterPort) },
  });
  await waitUntil(() => httpOk(`http://127.0.0.1:${locustExporterPort}/metrics`), 'the Locust exporter', 20_000, locust);

  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: [`${PROMETHEUS_DIR}rules/*.yml`],
    scrape_configs: [
      scrapeConfig('balancer', [
        { address: `127.0.0.1:${stack.balancer.metricsPort}`, container: 'lbpoc-balancer-1' },
        { address: `127.0.0.1:${edge.metricsPort}`, container: 'lbpoc-edge-1' },
      ]),
      scrapeConfig(
        'backend',
        stack.backends.map((b) => ({ address: `127.0.0.1:${b.metricsPort}`, container: `lbpoc-backend-${b.id}` })),
      ),
      scrapeConfig('node-exporter', [{ address: nodeExporter.address, container: 'lbpoc-node-exporter-1' }]),
      scrapeConfig('locust', [{ address: `127.0.0.1:${locustExporterPort}`, container: 'lbpoc-locust-1' }]),
    ],
  };
  prometheus = await startPrometheus(stringify(config));
  await waitUntil(
    async () => {
      const result = await prometheus.query('sum(up)');
      return result.status === 'success' && (result.result[0] as { value: [number, string] } | undefined)?.value[1] === String(2 + stack.backends.length + 2);
    },
    'Prometheus to scrape every target once',
    15_000,
    prometheus.child,
  );

  // Traffic: every algorithm by name, no name (adaptive by default) and a bad name
  // (rejected: unknown_algorithm). Bounded in count and time.
  const names = [...ALGORITHM_NAMES, '', 'nope'];
  const url = (i: number) => `${stack.balancer.url}/load/${i}${names[i % names.length] ? `?algo=${names[i % names.length]}` : ''}`;
  await drive(url, { total: 1200, seconds: 8, concurrency: 16, rate: 150 });
  // Then a backend dies under load: connect errors, retries, health checks fail, it goes down.
  await stack.backends.find((b) => b.id === 'doomed')!.child.stop();
  await drive(url, { total: 900, seconds: 6, concurrency: 16, rate: 150 });
  // Two bursts at the edge, scrapes apart: a counter that first appears already above zero
  // has no increase() in Prometheus, so the rate limiting must go on after the first scrape.
  let limited = 0;
  for (const burst of [0, 1]) {
    if (burst) await new Promise((resolve) => setTimeout(resolve, 2500));
    limited += (await drive((i) => `${edge.url}/edge/${burst}/${i}`, { total: 20, seconds: 5, concurrency: 4 })).get(429) ?? 0;
  }
  expect(limited, 'the edge balancer rate limited nothing: does this build have RATE_LIMIT_RPS?').toBeGreaterThan(0);

  // Until Prometheus has scraped the aftermath.
  await waitUntil(
    async () => {
      const result = await prometheus.query('lbpoc_backend_up == 0');
      return result.status === 'success' && result.result.length >= 2;
    },
    'Prometheus to see the dead backends down',
    20_000,
    prometheus.child,
  );
  await new Promise((resolve) => setTimeout(resolve, 3000));
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  await locust?.stop();
  await nodeExporter?.child.stop();
  await edge?.child.stop();
  await stack?.stop();
  if (parsedOnly.length > 0) {
    process.stdout.write(`\nPromQL only parsed (their exporter cannot run here):\n${[...new Set(parsedOnly)].map((line) => `  ${line}`).join('\n')}\n`);
  }
});

async function expectData(expr: string, where: string): Promise<void> {
  const result = await prometheus.query(expr);
  if (result.status === 'error') throw new Error(`${where}: Prometheus rejected ${expr}\n${result.errorType}: ${result.error}`);
  const source = onlyParsed(expr);
  if (source) {
    parsedOnly.push(`[${source}] ${where}: ${expr}`);
    return;
  }
  expect(result.result.length, `${where}: no data for\n${expr}`).toBeGreaterThan(0);
}

describe('dashboards against a real Prometheus', () => {
  const queries = allPanelQueries().filter((q) => q.datasource === 'prometheus');

  it('has Prometheus queries to check', () => {
    expect(queries.length).toBeGreaterThan(30);
  });

  it.each(queries.map((q) => [`${q.dashboard} / ${q.panel} / ${q.refId}`, q.query] as const))('%s', async (where, query) => {
    await expectData(substitutePromQL(query), where);
  });

  it.each(allTemplateVariables().map((v) => [`${v.dashboard} / $${v.name}`, v.query] as const))('variable %s', async (where, query) => {
    await expectData(labelValuesAsPromQL(query), where);
  });
});

describe('alert rules against a real Prometheus', () => {
  const rules = alertRules();

  it('are loaded by Prometheus itself', async () => {
    const body = (await (await fetch(`${prometheus.url}/api/v1/rules?type=alert`)).json()) as {
      data: { groups: { rules: { name: string; health: string }[] }[] };
    };
    const loaded = body.data.groups.flatMap((g) => g.rules);
    expect(loaded.map((r) => r.name).sort()).toEqual(rules.map((r) => r.alert).sort());
    for (const rule of loaded) expect(rule.health, rule.name).not.toBe('err');
  });

  it.each(rules.map((r) => [r.alert, r.expr] as const))('%s: the watched signal has data', async (alert, expr) => {
    await expectData(alertSignal(expr), `${alert} signal`);
  });

  it.each(rules.map((r) => [r.alert, r.expr] as const))('%s: the full expression evaluates (and holds where this setup makes it true)', async (alert, expr) => {
    const result = await prometheus.query(expr);
    expect(result.status, JSON.stringify(result)).toBe('success');
    if (MADE_TO_FIRE.includes(alert) && result.status === 'success') {
      const signal = await prometheus.query(alertSignal(expr));
      expect(result.result.length, `${alert} should hold now: ${expr}\nthe signal is ${JSON.stringify(signal)}`).toBeGreaterThan(0);
    }
  });
});
