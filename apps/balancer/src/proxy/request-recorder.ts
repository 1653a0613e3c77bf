import { type BalancerMetrics, statusClass } from '@lbpoc/metrics';
import type { TrafficWindows } from '../status-page/traffic-windows.js';

interface SeriesPair {
  readonly requests: { inc(): void };
  readonly duration: { observe(value: number): void };
}

/**
 * Records finished requests. prom-client hashes a label set on every `inc()`; the bound
 * children are cached per (algorithm, backend, status class), a small bounded set, so the
 * per-request cost is one map lookup.
 */
export class RequestRecorder {
  private readonly series = new Map<string, SeriesPair>();

  /** `traffic`: the status page's last seconds (a few array increments per request). */
  constructor(
    private readonly metrics: BalancerMetrics,
    private readonly traffic?: TrafficWindows,
  ) {}

  finished(algorithm: string, backend: string, status: number | undefined, seconds: number): void {
    const cls = statusClass(status);
    const key = `${algorithm}\u0000${backend}\u0000${cls}`;
    let pair = this.series.get(key);
    if (pair === undefined) {
      pair = {
        requests: this.metrics.requestsTotal.labels({ algorithm, backend, status_class: cls }),
        duration: this.metrics.requestDuration.labels({ algorithm, backend }),
      };
      this.series.set(key, pair);
    }
    pair.requests.inc();
    pair.duration.observe(seconds);
    this.traffic?.finished(algorithm, backend, status, seconds);
  }

  /** Forget cached children of a backend that left, after its series were removed from the registry. */
  forgetBackend(backend: string): void {
    for (const key of this.series.keys()) if (key.split('\u0000')[1] === backend) this.series.delete(key);
  }
}
