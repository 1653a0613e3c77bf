/** Buckets of the latency-by-RIF estimate: in-flight counts 0..62, and one for 63 and more. */
const RIF_BUCKETS = 64;

/** What a backend measures of itself; a `LoadReport` without `receivedAt`. */
export interface Measurement {
  readonly inFlight: number;
  readonly utilization: number;
  readonly qps: number;
  readonly latency?: number;
}

/**
 * A backend's measurement of its own load, as a real one would report it:
 *
 * - `utilization`: the fraction of its slots busy (requests and probes), averaged
 *   exponentially over `window` (as CPU use is measured over a window);
 * - `qps`: completions per 1000 time units (per second when time is in ms), averaged
 *   exponentially over `window`;
 * - `latency`: Prequal's server-side estimate, the latency of a request arriving now: the
 *   recent time in system of requests that arrived when as many requests were in flight
 *   as now (one decayed mean per in-flight count, time constant `window`). When no request
 *   has arrived at the current count yet, the nearest lower count's estimate scaled by
 *   (count + 1) / (lower + 1), else the nearest higher count's, else nothing.
 *
 * Complexity: O(1) per event, O(buckets) for a measurement in the worst case.
 */
export class LoadMeter {
  private busy = 0;
  private utilization = 0;
  private rate = 0;
  private stamp = 0;
  private readonly latencySum = new Float64Array(RIF_BUCKETS);
  private readonly latencyWeight = new Float64Array(RIF_BUCKETS);
  private readonly latencyStamp = new Float64Array(RIF_BUCKETS);

  constructor(private readonly window: number) {}

  /** The busy fraction changes at `now`. */
  setBusy(now: number, fraction: number): void {
    this.advance(now);
    this.busy = fraction;
  }

  /** A request that arrived with `inFlightAtArrival` others in flight completes at `now` after `latency`. */
  completed(now: number, latency: number, inFlightAtArrival: number): void {
    this.advance(now);
    this.rate += 1 / this.window;
    const bucket = Math.min(inFlightAtArrival, RIF_BUCKETS - 1);
    const past = Math.exp(-(now - this.latencyStamp[bucket]!) / this.window);
    this.latencySum[bucket] = this.latencySum[bucket]! * past + latency;
    this.latencyWeight[bucket] = this.latencyWeight[bucket]! * past + 1;
    this.latencyStamp[bucket] = now;
  }

  /** What the backend would report at `now` with `inFlight` requests in flight. */
  measure(now: number, inFlight: number): Measurement {
    this.advance(now);
    const latency = this.latencyAt(inFlight);
    const base = { inFlight, utilization: this.utilization, qps: this.rate * 1000 };
    return latency === undefined ? base : { ...base, latency };
  }

  private latencyAt(inFlight: number): number | undefined {
    const bucket = Math.min(inFlight, RIF_BUCKETS - 1);
    for (let lower = bucket; lower >= 0; lower--) {
      if (this.latencyWeight[lower]! > 0) return (this.mean(lower) * (bucket + 1)) / (lower + 1);
    }
    for (let higher = bucket + 1; higher < RIF_BUCKETS; higher++) {
      if (this.latencyWeight[higher]! > 0) return this.mean(higher);
    }
    return undefined;
  }

  private mean(bucket: number): number {
    return this.latencySum[bucket]! / this.latencyWeight[bucket]!;
  }

  /** Brings the utilization and rate averages to `now` (the busy fraction was constant since the last stamp). */
  private advance(now: number): void {
    const elapsed = now - this.stamp;
    if (elapsed <= 0) return;
    const past = Math.exp(-elapsed / this.window);
    this.utilization = this.busy + (this.utilization - this.busy) * past;
    this.rate *= past;
    this.stamp = now;
  }
}
