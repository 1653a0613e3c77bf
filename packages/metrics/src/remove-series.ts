import type { Counter, Gauge, Histogram } from 'prom-client';

type AnyMetric = Counter<string> | Gauge<string> | Histogram<string>;

/**
 * Removes every series of `metric` whose `label` equals `value`, whatever its other
 * labels. prom-client's `remove` only takes a complete label set, so the label sets are
 * read back first. Used when a backend leaves the pool: without it, a rolling deploy that
 * replaces backends leaves their last values exported forever (a stale `backend_up 1`
 * for a container that is gone, and unbounded series growth over many deploys).
 */
export async function removeSeries(metric: AnyMetric, label: string, value: string): Promise<void> {
  const { values } = await metric.get();
  const seen = new Set<string>();
  for (const sample of values) {
    if (sample.labels[label] !== value) continue;
    // Histogram samples carry the bucket bound `le`, which is not a label of the metric.
    const { le: _bucket, ...labels } = sample.labels as Record<string, string | number>;
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
    if (seen.has(key)) continue;
    seen.add(key);
    metric.remove(labels);
  }
}
