import type { BalancerMetrics } from '@lbpoc/metrics';
import type { TrafficSecond, TrafficWindows } from './traffic-windows.js';

/**
 * In a worker thread: once a second, hands the primary (which serves the status page)
 * what this worker's requests did in that second (`TrafficWindows.takeSecond`) and the
 * adaptive selector's decisions since the last report, from this worker's own
 * `lbpoc_adaptive_decisions_total`. Quiet seconds send nothing. Returns a stop function.
 */
export function reportTraffic(traffic: TrafficWindows, metrics: BalancerMetrics, send: (second: TrafficSecond) => void, intervalMs = 1000): () => void {
  let seen = new Map<string, number>();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    const second = traffic.takeSecond();
    void metrics.adaptiveDecisionsTotal
      .get()
      .then(({ values }) => {
        const decisions: Record<string, number> = {};
        const next = new Map<string, number>();
        for (const { labels, value } of values) {
          const choice = String(labels.choice);
          next.set(choice, value);
          const delta = value - (seen.get(choice) ?? 0);
          if (delta > 0) decisions[choice] = delta;
        }
        seen = next;
        if (second.backends.length + second.algorithms.length > 0 || Object.keys(decisions).length > 0) send({ ...second, decisions });
      })
      .finally(() => {
        busy = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
