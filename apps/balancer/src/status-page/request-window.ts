import { BUCKET_COUNT, quantileMs } from './latency-buckets.js';

/** Seconds the percentiles and the error rate cover. */
export const WINDOW_SECONDS = 10;
/** One slot per second: the second being filled plus `WINDOW_SECONDS` complete ones. */
export const SLOTS = WINDOW_SECONDS + 1;
/** Per slot: the latency buckets, then the request count, then the error count. */
export const STRIDE = BUCKET_COUNT + 2;
const REQUESTS = BUCKET_COUNT;
const ERRORS = BUCKET_COUNT + 1;

/** What one key (a backend, an algorithm) did lately. */
export interface WindowSummary {
  /** Requests finished in the last complete second. */
  readonly lastSecond: number;
  /** Requests and errors (5xx or no response) in the last `WINDOW_SECONDS` complete seconds. */
  readonly requests: number;
  readonly errors: number;
  /** Latency percentiles over those seconds, in ms; null without requests. */
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
}

/**
 * A ring of per-second histograms for one key, in one flat `Uint32Array` allocated once:
 * recording a request is three array increments. Which slot is current is decided by the
 * owner (`TrafficWindows`), which rotates every key at once, once a second.
 */
export class RequestWindow {
  readonly counts = new Uint32Array(SLOTS * STRIDE);

  /** `offset`: the current slot's start (`slot * STRIDE`). */
  record(offset: number, bucket: number, error: boolean): void {
    const counts = this.counts;
    counts[offset + bucket]!++;
    counts[offset + REQUESTS]!++;
    if (error) counts[offset + ERRORS]!++;
  }

  clearSlot(slot: number): void {
    this.counts.fill(0, slot * STRIDE, (slot + 1) * STRIDE);
  }

  requestsIn(slot: number): number {
    return this.counts[slot * STRIDE + REQUESTS]!;
  }

  /** Copies a slot's `STRIDE` numbers to `target` at `at` (to send to another thread). */
  copySlot(slot: number, target: Uint32Array, at: number): void {
    target.set(this.counts.subarray(slot * STRIDE, (slot + 1) * STRIDE), at);
  }

  /** Adds `STRIDE` numbers from `source` at `at` to a slot (what another thread recorded). */
  addToSlot(slot: number, source: Uint32Array, at: number): void {
    const base = slot * STRIDE;
    for (let i = 0; i < STRIDE; i++) this.counts[base + i]! += source[at + i]!;
  }

  /**
   * Sums the complete slots (all but `current`) into `scratch` (`BUCKET_COUNT` long, reused
   * by the caller) and reads the summary; `previous` is the slot that completed last.
   */
  summarize(current: number, previous: number, scratch: Float64Array): WindowSummary {
    const counts = this.counts;
    scratch.fill(0);
    let requests = 0;
    let errors = 0;
    for (let slot = 0; slot < SLOTS; slot++) {
      if (slot === current) continue;
      const base = slot * STRIDE;
      requests += counts[base + REQUESTS]!;
      errors += counts[base + ERRORS]!;
      for (let i = 0; i < BUCKET_COUNT; i++) scratch[i]! += counts[base + i]!;
    }
    return {
      lastSecond: counts[previous * STRIDE + REQUESTS]!,
      requests,
      errors,
      p50Ms: quantileMs(scratch, requests, 0.5),
      p99Ms: quantileMs(scratch, requests, 0.99),
    };
  }
}
