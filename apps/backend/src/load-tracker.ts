import { performance } from 'node:perf_hooks';
import type { BackendLoad } from '@lbpoc/registry';

/** Rates (requests and errors per second) are counted over this window. */
const WINDOW_MS = 1000;
/** Weight of the newest latency in the latency average: about the last 10 requests. */
const LATENCY_ALPHA = 0.1;

/**
 * What this backend reports about its own load (the `endpoint-load-metrics` header and
 * `/load`): requests in flight, the event loop's utilization (the CPU share a Node
 * server can use), requests and errors per second over the last second, an average of
 * its own handling time, and with CONCURRENCY the share of its slots in use. O(1) per request.
 */
export class LoadTracker {
  private current = 0;
  private latencyMs: number | undefined;
  /** Counts of the window in progress and of the one before it. */
  private windowStart: number;
  private requests = 0;
  private errors = 0;
  private previousRequests = 0;
  private previousErrors = 0;
  private elu = performance.eventLoopUtilization();
  private utilization = 0;

  /**
   * @param slots with CONCURRENCY: the limit and the slots in use now (reported as application_utilization)
   */
  constructor(
    private readonly slots: { readonly limit: number; readonly busy: number } | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.windowStart = now();
  }

  get inFlight(): number {
    return this.current;
  }

  started(): void {
    this.current++;
  }

  /** A request ended: its status and how long the backend took. */
  ended(status: number, durationMs: number): void {
    this.current--;
    this.roll();
    this.requests++;
    if (status >= 500) this.errors++;
    this.latencyMs = this.latencyMs === undefined ? durationMs : this.latencyMs + LATENCY_ALPHA * (durationMs - this.latencyMs);
  }

  /** The load now, as a request being answered tells it: in flight are the others. */
  report(): BackendLoad {
    this.roll();
    const load: BackendLoad = {
      inFlight: Math.max(0, this.current - 1),
      cpuUtilization: this.utilization,
      rps: this.previousRequests / (WINDOW_MS / 1000),
      eps: this.previousErrors / (WINDOW_MS / 1000),
      ...(this.latencyMs !== undefined && { latencyMs: this.latencyMs }),
      ...(this.slots !== undefined && this.slots.limit > 0 && { applicationUtilization: this.slots.busy / this.slots.limit }),
    };
    return load;
  }

  /** Closes the window once it is over: its counts become the reported rates, and the event loop's utilization is sampled. */
  private roll(): void {
    const now = this.now();
    const elapsed = now - this.windowStart;
    if (elapsed < WINDOW_MS) return;
    // A window with no request at all in between reports zero, not the last busy one.
    const skipped = elapsed >= 2 * WINDOW_MS;
    this.previousRequests = skipped ? 0 : this.requests;
    this.previousErrors = skipped ? 0 : this.errors;
    this.requests = 0;
    this.errors = 0;
    this.windowStart = now - (elapsed % WINDOW_MS);
    const sample = performance.eventLoopUtilization(this.elu);
    this.elu = performance.eventLoopUtilization();
    this.utilization = sample.utilization;
  }
}
