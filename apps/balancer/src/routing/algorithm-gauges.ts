import type { BalancerMetrics } from '@lbpoc/metrics';
import type { AlgorithmSet } from './algorithm-set.js';

/**
 * Exports what the plugins' instances report from `gauges()` as
 * `lbpoc_algorithm_gauge{algorithm, gauge}`, read at each scrape: only the gauge names a
 * plugin declared, only finite numbers. A `gauges()` that throws loses its plugin's
 * figures for that scrape, not the scrape.
 * @returns a function that stops exporting them
 */
export function watchAlgorithmGauges(algorithms: Pick<AlgorithmSet, 'plugins'>, metrics: Pick<BalancerMetrics, 'readAlgorithmGauges'>): () => void {
  const reporting = algorithms.plugins.filter((plugin) => plugin.gauges.length > 0);
  if (reporting.length === 0) return () => {};
  return metrics.readAlgorithmGauges(function* () {
    for (const { algorithm, gauges } of reporting) {
      let values: Readonly<Record<string, number>> | undefined;
      try {
        values = algorithm.gauges?.();
      } catch {
        continue;
      }
      for (const gauge of gauges) {
        const value = values?.[gauge];
        if (typeof value === 'number' && Number.isFinite(value)) yield [algorithm.name, gauge, value] as const;
      }
    }
  });
}
