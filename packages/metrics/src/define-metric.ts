import { Counter, Gauge, Histogram, type MetricObjectWithValues, type MetricValue, type Registry } from 'prom-client';
import type { MetricDefinition } from './metric-definitions.js';

/** The label-name union of a definition, so `inc({ typo: 'x' })` fails to compile. */
export type LabelsOf<D extends MetricDefinition> = D['labels'][number];

/**
 * The label set of a definition with its values typed: a label with a closed set
 * (`values`) takes only that tuple's values, any other label a string. So
 * `inc({ reason: 'typo' })` fails to compile where `reason` is closed.
 */
export type LabelSetOf<D extends MetricDefinition> = { [L in LabelsOf<D>]: ValueOf<D, L> };

/** The values label `L` of `D` may take: its closed set's, or any string. */
type ValueOf<D extends MetricDefinition, L extends string> = D extends { readonly values: { readonly [K in L]: readonly (infer V extends string)[] } }
  ? V
  : string;

/**
 * A prom-client `Counter` whose label values are typed (`L`: each label's allowed values):
 * the counters of the contract that have a closed-set label are handed out as this.
 * At run time it is the `Counter` itself.
 */
export interface LabelledCounter<L extends Record<string, string>> {
  /** Increments the series of `labels` by `value` (default 1). */
  inc(labels: Partial<L>, value?: number): void;
  /** Increments the series without labels (for a counter that has none). */
  inc(value?: number): void;
  /** The bound child of one label set: `inc()` on it skips hashing the labels each time. */
  labels(labels: Partial<L>): Counter.Internal;
  remove(labels: Partial<L>): void;
  reset(): void;
  get(): Promise<MetricObjectWithValues<MetricValue<keyof L & string>>>;
}

/*
 * Each metric is built from its definition and registered only in the given registry:
 * `registers` is always passed because prom-client otherwise adds every metric to its
 * global default register.
 */

export function defineCounter<const D extends MetricDefinition>(definition: D, registry: Registry): Counter<LabelsOf<D>> {
  return new Counter<LabelsOf<D>>({
    name: definition.name,
    help: definition.help,
    labelNames: definition.labels as readonly LabelsOf<D>[],
    registers: [registry],
  });
}

export function defineGauge<const D extends MetricDefinition>(definition: D, registry: Registry): Gauge<LabelsOf<D>> {
  return new Gauge<LabelsOf<D>>({
    name: definition.name,
    help: definition.help,
    labelNames: definition.labels as readonly LabelsOf<D>[],
    registers: [registry],
  });
}

export function defineHistogram<const D extends MetricDefinition>(definition: D, registry: Registry, buckets: readonly number[]): Histogram<LabelsOf<D>> {
  return new Histogram<LabelsOf<D>>({
    name: definition.name,
    help: definition.help,
    labelNames: definition.labels as readonly LabelsOf<D>[],
    buckets: [...buckets],
    registers: [registry],
  });
}
