import type { AlgorithmPlugin } from '@lbpoc/algorithms';
import { balancersOf, type ServerSpec, warmupOf } from './model.js';
import { ORACLE_NAME } from './policy.js';
import { probes, resolveReporting } from './reporting.js';
import type { ScenarioReport } from './run-scenario.js';
import type { SimulationResult } from './simulate.js';
import { formatTable } from './text-table.js';

/**
 * The comparison table of one scenario, as the CLI prints it. Only fixed-precision
 * formatting of deterministic numbers goes in, so the same report renders to the same
 * bytes (the determinism test relies on it). Times are shown as ms and rates as req/s,
 * the unit convention of the named scenarios.
 */
export function renderReport(report: ScenarioReport): string {
  const { scenario, results } = report;
  const warmup = warmupOf(scenario);
  const clients = scenario.clients;
  const mix = clients.distribution === 'uniform' ? 'uniform' : `Zipf ${clients.distribution.zipf}`;
  const reporting = resolveReporting(scenario.reporting);
  const probing = probes(reporting);
  const balancers = balancersOf(scenario);
  const lines = [
    `== ${scenario.name}: ${scenario.description}`,
    `   ${scenario.requests} requests per policy (first ${warmup} not measured), seed ${report.seed}, ` +
      `offered load ${percent(report.offeredLoad, 0)}, ${clients.count} clients (${mix})` +
      `${balancers > 1 ? `, ${balancers} balancers` : ''}; latency in ms`,
    '',
    formatTable(
      ['policy', 'mean', 'p50', 'p90', 'p99', 'max', 'req/s', 'max/mean', ...(probing ? ['probes/req'] : []), 'shares %'],
      results.map((result) => [
        result.policy === ORACLE_NAME ? `${ORACLE_NAME} (reference)` : result.policy,
        ms(result.latency.mean),
        ms(result.latency.p50),
        ms(result.latency.p90),
        ms(result.latency.p99),
        ms(result.latency.max),
        (result.throughput * 1000).toFixed(1),
        result.maxMeanLoad.toFixed(2),
        ...(probing ? [result.probesPerRequest.toFixed(2)] : []),
        result.shares.map((share) => (share * 100).toFixed(1)).join(' '),
      ]),
    ),
  ];
  if (report.plugins !== undefined && report.plugins.length > 0) lines.push('', pluginList(report.plugins));
  if (probing) lines.push('', probeCost(report));
  const adaptive = results.find((result) => result.policy === 'adaptive');
  if (adaptive !== undefined) lines.push('', `adaptive delegated to: ${decisionMix(adaptive)}`);
  const timed = results.filter((result) => result.timeline !== undefined && result.policy === 'dynamic_weights');
  for (const result of timed) lines.push('', sharesOverTime(result, scenario.servers));
  if (report.remap.length > 0) {
    lines.push(
      '',
      formatTable(
        [`key remapping (${clients.count} client IPs)`, '+1 server', '-1 server'],
        report.remap.map((row) => [
          row.scheme === 'modulo_hash' ? 'modulo_hash (seed: hash(ip) % n)' : row.scheme,
          percent(row.added, 1),
          percent(row.removed, 1),
        ]),
      ),
    );
  }
  return lines.join('\n');
}

/** Several reports, separated by a blank line. */
export function renderReports(reports: readonly ScenarioReport[]): string {
  return `${reports.map(renderReport).join('\n\n')}\n`;
}

/** What the plugin rows are, since their names alone mean nothing to a reader of the table. */
function pluginList(plugins: readonly AlgorithmPlugin[]): string {
  const entries = plugins.map((plugin) => (plugin.description === undefined ? plugin.name : `${plugin.name} (${plugin.description})`));
  return `algorithm plugins: ${entries.join('; ')}`;
}

function ms(value: number): string {
  return value.toFixed(1);
}

function percent(fraction: number, digits: number): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** Probes per request of the probing policies, and what their work costs against the requests'. */
function probeCost(report: ScenarioReport): string {
  const reporting = resolveReporting(report.scenario.reporting);
  const probing = report.results.filter((result) => result.probes > 0);
  // The most any policy sent: adaptive probes only while it delegates to prequal, so a little less.
  const perRequest = probing.reduce((most, result) => Math.max(most, result.probesPerRequest), 0);
  const requestWork = report.scenario.requests * meanWork(report);
  const parts = [
    `probes: ${perRequest.toFixed(2)} per request for the policies that read reports (adaptive: while it delegates to prequal; the others send none)`,
    `answers ${reporting.probeDelay} ms late`,
    `${reporting.probeCost} ms of backend work each (${percent((perRequest * reporting.probeCost * report.scenario.requests) / requestWork, 1)} on top of the requests' work)`,
  ];
  if (reporting.onResponse) parts.push('plus a report on every response');
  return parts.join('; ');
}

function meanWork(report: ScenarioReport): number {
  const service = report.scenario.service;
  return service.kind === 'deterministic' ? service.value : service.mean;
}

/** Shares of picks in 5-window slices, beside each server's share of the capacity at the slice's end. */
function sharesOverTime(result: SimulationResult, servers: readonly ServerSpec[]): string {
  const timeline = result.timeline!;
  const slice = 5;
  const rows: string[][] = [];
  for (let start = 0; start + slice <= timeline.picks.length && start < 60; start += slice) {
    const sums = servers.map((_, s) => timeline.picks.slice(start, start + slice).reduce((sum, row) => sum + row[s]!, 0));
    const total = sums.reduce((a, b) => a + b, 0);
    const end = (start + slice) * timeline.window;
    const speeds = servers.map((server) => speedAt(server, end - 1e-9));
    const capacity = servers.reduce((sum, server, s) => sum + speeds[s]! * (server.concurrency ?? 1), 0);
    const target = servers.map((server, s) => (speeds[s]! * (server.concurrency ?? 1)) / capacity);
    const deviation = Math.max(...sums.map((count, s) => Math.abs(count / total / target[s]! - 1)));
    rows.push([
      `${(start * timeline.window) / 1000}-${end / 1000} s`,
      sums.map((count) => (total > 0 ? ((100 * count) / total).toFixed(1) : '-')).join(' '),
      target.map((share) => (100 * share).toFixed(1)).join(' '),
      percent(deviation, 1),
    ]);
  }
  return formatTable([`${result.policy} picks over time`, 'shares %', 'capacity %', 'max deviation'], rows);
}

function speedAt(server: ServerSpec, time: number): number {
  let speed = server.speed ?? 1;
  for (const change of server.capacityChanges ?? []) if (change.at <= time) speed = change.speed;
  return speed;
}

function decisionMix(result: SimulationResult): string {
  const total = Object.values(result.decisions).reduce((sum, count) => sum + count, 0);
  return Object.entries(result.decisions)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, count]) => `${name} ${percent(count / total, 1)}`)
    .join(', ');
}
