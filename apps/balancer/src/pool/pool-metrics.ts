import type { BalancerMetrics } from '@lbpoc/metrics';
import type { BackendPool, HealthChangeDetail } from '@lbpoc/registry';
import type { Logger } from 'pino';
import type { RequestRecorder } from '../proxy/request-recorder.js';

/**
 * Mirrors the pool into metrics and logs: backend up and effective weight, panic mode,
 * ejections, health transitions. Gauges of in-flight requests are read at scrape time
 * (a collect hook), so the request path pays nothing for them. Series of a backend that
 * left the pool are removed.
 */
export function watchPool(pool: BackendPool, metrics: BalancerMetrics, recorder: RequestRecorder, log: Logger): () => void {
  let known = new Set<string>();

  const publish = () => {
    const present = new Set<string>();
    for (const backend of pool.all()) {
      present.add(backend.id);
      metrics.backendUp.set({ backend: backend.id }, backend.healthy ? 1 : 0);
      metrics.backendWeight.set({ backend: backend.id }, backend.weight);
    }
    for (const id of known) {
      if (present.has(id)) continue;
      recorder.forgetBackend(id);
      void metrics.forgetBackend(id);
    }
    known = present;
    metrics.panicMode.set(pool.panic ? 1 : 0);
  };

  const onHealth = (event: CustomEvent<HealthChangeDetail>) => {
    const { backend, healthy, reason, message } = event.detail;
    // The pool ejects on consecutive failed requests (outlier detection), its one reason to eject.
    if (reason === 'ejected') metrics.backendEjectionsTotal.inc({ backend: backend.id, reason: 'consecutive_failures' });
    log[healthy ? 'info' : 'warn']({ backend: backend.id, healthy, reason }, message);
    publish();
  };

  onCollect(metrics.inFlight, () => {
    for (const backend of pool.all()) metrics.inFlight.set({ backend: backend.id }, backend.inFlight);
  });
  const checksSeen = new Map<string, { passed: number; failed: number }>();
  onCollect(metrics.healthChecksTotal, () => {
    for (const backend of pool.all()) {
      const seen = checksSeen.get(backend.id) ?? { passed: 0, failed: 0 };
      const { checksPassed, checksFailed } = backend.counters;
      if (checksPassed > seen.passed) metrics.healthChecksTotal.inc({ backend: backend.id, result: 'pass' }, checksPassed - seen.passed);
      if (checksFailed > seen.failed) metrics.healthChecksTotal.inc({ backend: backend.id, result: 'fail' }, checksFailed - seen.failed);
      checksSeen.set(backend.id, { passed: checksPassed, failed: checksFailed });
    }
  });

  pool.addEventListener('change', publish);
  pool.addEventListener('health', onHealth);
  publish();
  return () => {
    pool.removeEventListener('change', publish);
    pool.removeEventListener('health', onHealth);
  };
}

/**
 * Runs `refresh` whenever the metric is scraped. prom-client calls a metric's `collect`
 * before reading it; values that live elsewhere (the pool's counters) are copied in then,
 * instead of on every request.
 */
function onCollect(metric: object, refresh: () => void): void {
  (metric as { collect?: () => void }).collect = refresh;
}
