import { readFileSync } from 'node:fs';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createBackendMetrics } from './backend-metrics.js';
import { createBalancerMetrics } from './balancer-metrics.js';
import { BACKEND_METRIC_NAMES, BALANCER_METRIC_NAMES, METRIC_DEFINITIONS, METRIC_NAMES } from './metric-definitions.js';

/** Records one observation on every contract metric in `registry`, whatever its type. */
function observeEach(registry: Registry, names: readonly string[]): void {
  for (const name of names) {
    const definition = METRIC_DEFINITIONS.find((d) => d.name === name);
    const metric = registry.getSingleMetric(name);
    if (definition === undefined || metric === undefined) throw new Error(`${name} is not registered`);
    const labels = Object.fromEntries(definition.labels.map((label) => [label, 'x']));
    if (metric instanceof Counter) metric.inc(labels);
    else if (metric instanceof Gauge) metric.set(labels, 1);
    else if (metric instanceof Histogram) metric.observe(labels, 0.01);
    else throw new Error(`${name} has an unexpected type`);
  }
}

describe('the metric contract', () => {
  it('has unique, prefixed, valid names', () => {
    expect(new Set(METRIC_NAMES).size).toBe(METRIC_NAMES.length);
    for (const name of METRIC_NAMES) expect(name).toMatch(/^lbpoc_[a-z_]+$/);
    expect(METRIC_NAMES).toEqual([...BALANCER_METRIC_NAMES, ...BACKEND_METRIC_NAMES]);
  });

  it('names counters *_total and histograms *_seconds, as Prometheus conventions ask', () => {
    for (const d of METRIC_DEFINITIONS) {
      if (d.type === 'counter') expect(d.name).toMatch(/_total$/);
      if (d.type === 'histogram') expect(d.name).toMatch(/_seconds$/);
    }
  });

  it('puts every name in the text exposition after one observation each, with its type and help', async () => {
    const balancer = createBalancerMetrics({ defaultMetrics: false });
    const backend = createBackendMetrics({ defaultMetrics: false });
    observeEach(balancer.registry, BALANCER_METRIC_NAMES);
    observeEach(backend.registry, BACKEND_METRIC_NAMES);
    const text = (await balancer.registry.metrics()) + (await backend.registry.metrics());
    for (const d of METRIC_DEFINITIONS) {
      expect(text).toContain(`# TYPE ${d.name} ${d.type}\n`);
      expect(text).toContain(`# HELP ${d.name} ${d.help}\n`);
      const sample = d.type === 'histogram' ? `${d.name}_count` : d.name;
      expect(text).toMatch(new RegExp(`^${sample}(\\{[^}]*\\})? \\d`, 'm'));
    }
  });

  it('is documented row by row in the README table', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const d of METRIC_DEFINITIONS) {
      const labels = d.labels.length === 0 ? '—' : d.labels.map((l) => `\`${l}\``).join(', ');
      expect(readme).toContain(`| \`${d.name}\` | ${d.type} | ${labels} | ${d.help} | ${d.emitter} |`);
    }
  });
});
