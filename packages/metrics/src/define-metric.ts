import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { MetricDefinition } from './metric-definitions.js';

/** The label-name union of a definition, so `inc({ typo: 'x' })` fails to compile. */
export type LabelsOf<D extends MetricDefinition> = D['labels'][number];

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

export function defineHistogram<const D extends MetricDefinition>(
  definition: D,
  registry: Registry,
  buckets: readonly number[],
): Histogram<LabelsOf<D>> {
  return new Histogram<LabelsOf<D>>({
    name: definition.name,
    help: definition.help,
    labelNames: definition.labels as readonly LabelsOf<D>[],
    buckets: [...buckets],
    registers: [registry],
  });
}
