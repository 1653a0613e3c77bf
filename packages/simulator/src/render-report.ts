import { warmupOf } from './model.js';
import { ORACLE_NAME } from './policy.js';
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
  const lines = [
    `== ${scenario.name}: ${scenario.description}`,
    `   ${scenario.requests} requests per policy (first ${warmup} not measured), seed ${report.seed}, ` +
      `offered load ${percent(report.offeredLoad, 0)}, ${clients.count} clients (${mix}); latency in ms`,
    '',
    formatTable(
      ['policy', 'mean', 'p50', 'p90', 'p99', 'max', 'req/s', 'max/mean', 'shares %'],
      results.map((result) => [
        result.policy === ORACLE_NAME ? `${ORACLE_NAME} (reference)` : result.policy,
        ms(result.latency.mean),
        ms(result.latency.p50),
        ms(result.latency.p90),
        ms(result.latency.p99),
        ms(result.latency.max),
        (result.throughput * 1000).toFixed(1),
        result.maxMeanLoad.toFixed(2),
        result.shares.map((share) => (share * 100).toFixed(1)).join(' '),
      ]),
    ),
  ];
  const adaptive = results.find((result) => result.policy === 'adaptive');
  if (adaptive !== undefined) lines.push('', `adaptive delegated to: ${decisionMix(adaptive)}`);
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

function ms(value: number): string {
  return value.toFixed(1);
}

function percent(fraction: number, digits: number): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

function decisionMix(result: SimulationResult): string {
  const total = Object.values(result.decisions).reduce((sum, count) => sum + count, 0);
  return Object.entries(result.decisions)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, count]) => `${name} ${percent(count / total, 1)}`)
    .join(', ');
}
