import { readFileSync } from 'node:fs';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createBackendMetrics } from './backend-metrics.js';
import { createBalancerMetrics } from './balancer-metrics.js';
import * as api from './index.js';
import { BACKEND_METRIC_NAMES, BALANCER_METRIC_NAMES, METRIC_DEFINITIONS, METRIC_NAMES } from './metric-definitions.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/**
 * The README's closed-set rows, `| \`label\` of \`metric\` [and \`metric\`] | values |`: for
 * each (metric, label) the values listed, in order. A value is a backticked word outside
 * parentheses (those explain it) and before the ` — ` that names the exported tuple.
 */
function documentedClosedSets(): Map<string, string[]> {
  const sets = new Map<string, string[]>();
  for (const line of README.split('\n')) {
    const match = /^\| `([a-z_]+)` of (`lbpoc_[a-z_]+`(?: and `lbpoc_[a-z_]+`)*) \| (.*) \|$/.exec(line);
    if (match === null) continue;
    const [, label, metrics, cell] = match;
    const values = [
      ...cell!
        .split(' — ')[0]!
        .replace(/\([^)]*\)/g, '')
        .matchAll(/`([^`]+)`/g),
    ].map((m) => m[1]!);
    for (const [, metric] of metrics!.matchAll(/`(lbpoc_[a-z_]+)`/g)) sets.set(`${metric}{${label}}`, values);
  }
  return sets;
}

/** Records one observation on every contract metric in `registry`, whatever its type. */
function observeEach(registry: Registry, names: readonly string[]): void {
  for (const name of names) {
    const definition = METRIC_DEFINITIONS.find((d) => d.name === name);
    const metric = registry.getSingleMetric(name);
    if (definition === undefined || metric === undefined) throw new Error(`${name} is not registered`);
    const labels = Object.fromEntries(definition.labels.map((label) => [label, definition.values?.[label]?.[0] ?? 'x']));
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
    balancer.readAlgorithmGauges(() => [['least_time', 'tracked_servers', 1]]); // filled at scrape time, from its sources
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
    for (const d of METRIC_DEFINITIONS) {
      const labels = d.labels.length === 0 ? '—' : d.labels.map((l) => `\`${l}\``).join(', ');
      expect(README).toContain(`| \`${d.name}\` | ${d.type} | ${labels} | ${d.help} | ${d.emitter} |`);
    }
  });

  it('gives closed sets only to labels the metric has, as non-empty tuples of distinct label-safe words', () => {
    for (const d of METRIC_DEFINITIONS) {
      for (const [label, values] of Object.entries(d.values ?? {})) {
        expect(d.labels, `${d.name}: values for a label it does not have`).toContain(label);
        expect(values.length).toBeGreaterThan(0);
        expect(new Set(values).size).toBe(values.length);
        for (const value of values) expect(value).toMatch(/^[a-z0-9_]+$/);
      }
    }
  });

  it('lists in the README exactly the values of each closed set, in order, and no other closed set', () => {
    const documented = documentedClosedSets();
    const inCode = new Map(
      METRIC_DEFINITIONS.flatMap((d) => Object.entries(d.values ?? {}).map(([label, values]) => [`${d.name}{${label}}`, [...values]] as const)),
    );
    expect(inCode.size).toBeGreaterThanOrEqual(7);
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(inCode));
  });

  it('exports each closed set under the name the README gives it', () => {
    for (const d of METRIC_DEFINITIONS) {
      for (const [label, values] of Object.entries(d.values ?? {})) {
        const row = README.split('\n').find((line) => line.startsWith(`| \`${label}\` of `) && line.includes(`\`${d.name}\``));
        const name = row
          ?.split(' — ')
          .at(-1)
          ?.match(/^`([A-Z_]+)`/)?.[1];
        expect(name, `${d.name}{${label}}: the README row names no tuple`).toBeDefined();
        expect((api as Record<string, unknown>)[name!], `${name} is not exported`).toBe(values);
      }
    }
  });
});
