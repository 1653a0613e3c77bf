import type { PluginFault } from '@lbpoc/algorithms';
import type { BalancerMetrics } from '@lbpoc/metrics';
import type { Logger } from 'pino';

/** A plugin that fails every request would otherwise log every request: one line per fault kind per this long. */
export const PLUGIN_FAULT_LOG_INTERVAL_MS = 10_000;

/**
 * What the balancer does with a fault of a plugin's code (`guardPluginAlgorithm` already
 * served the request by a built-in): counts it in `lbpoc_algorithm_faults_total` and logs
 * it, the first of each plugin and kind at once, then at most one line per
 * `PLUGIN_FAULT_LOG_INTERVAL_MS` with how many were not logged.
 */
export function reportPluginFaults(metrics: BalancerMetrics, log: Logger, now: () => number = Date.now): (fault: PluginFault) => void {
  const lastLogged = new Map<string, { at: number; unlogged: number }>();
  return (fault) => {
    metrics.algorithmFaultsTotal.labels({ algorithm: fault.algorithm, fault: fault.kind }).inc();
    const key = `${fault.algorithm} ${fault.kind}`;
    const seen = lastLogged.get(key);
    if (seen !== undefined && now() - seen.at < PLUGIN_FAULT_LOG_INTERVAL_MS) {
      seen.unlogged++;
      return;
    }
    lastLogged.set(key, { at: now(), unlogged: 0 });
    log.warn(
      { algorithm: fault.algorithm, fault: fault.kind, unlogged_since_last: seen?.unlogged ?? 0, ...(fault.error !== undefined && { err: fault.error }) },
      'algorithm plugin fault: the request was served by least_connections instead',
    );
  };
}
