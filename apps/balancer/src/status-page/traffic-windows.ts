import { BUCKET_COUNT, bucketOf } from './latency-buckets.js';
import { RequestWindow, SLOTS, STRIDE, type WindowSummary } from './request-window.js';

/**
 * One second of one thread's finished requests, to be added to another thread's windows:
 * with worker threads, each worker records its own requests and the primary, which serves
 * the status page, adds up what they send. `counts` holds `STRIDE` numbers per key,
 * backends first, then algorithms (a transferable buffer).
 */
export interface TrafficSecond {
  readonly backends: readonly string[];
  readonly algorithms: readonly string[];
  readonly counts: Uint32Array;
  /** Requests the adaptive selector delegated in that second, per choice. */
  readonly decisions?: Readonly<Record<string, number>>;
}

/** A summary with the request rate of the last complete second, measured on the clock. */
export interface RateSummary extends WindowSummary {
  /** Requests per second over the last complete slot (its real length, about 1 s). */
  readonly rps: number;
}

/**
 * The last few seconds of finished requests, per backend and per algorithm, for the
 * status page: the data behind its requests/s, error rates and 10 s percentiles.
 *
 * `finished()` runs once per request (from `RequestRecorder`): two map lookups, a
 * `Math.log2` and a few array increments, no allocation (a key's ring is allocated the
 * first time it is seen). `rotate()` runs once a second and moves every key to the next
 * slot together, so a request never reads the clock.
 */
export class TrafficWindows {
  private readonly backends = new Map<string, RequestWindow>();
  private readonly algorithms = new Map<string, RequestWindow>();
  private slot = 0;
  private offset = 0;
  /** When each slot began (`now()` ms), for the real length of the slot that completed. */
  private readonly startedAt = new Float64Array(SLOTS);
  private completedMs = 1000;
  private readonly scratch = new Float64Array(BUCKET_COUNT);
  /** Adaptive's decisions other threads reported: in the current second, and in the last complete one. */
  private decisions: Record<string, number> = {};
  private decided: Readonly<Record<string, number>> = {};

  constructor(private readonly now: () => number = () => performance.now()) {
    this.startedAt[0] = now();
  }

  /** One finished request: `status` undefined when no response completed (counted as an error, as 5xx are). */
  finished(algorithm: string, backend: string, status: number | undefined, seconds: number): void {
    const bucket = bucketOf(seconds * 1000);
    const error = status === undefined || status >= 500;
    let window = this.backends.get(backend);
    if (window === undefined) this.backends.set(backend, (window = new RequestWindow()));
    window.record(this.offset, bucket, error);
    let byAlgorithm = this.algorithms.get(algorithm);
    if (byAlgorithm === undefined) this.algorithms.set(algorithm, (byAlgorithm = new RequestWindow()));
    byAlgorithm.record(this.offset, bucket, error);
  }

  /** Ends the current second: the next slot (the oldest) is cleared and becomes current. */
  rotate(): void {
    const now = this.now();
    this.completedMs = Math.max(1, now - this.startedAt[this.slot]!);
    this.slot = (this.slot + 1) % SLOTS;
    this.offset = this.slot * STRIDE;
    this.startedAt[this.slot] = now;
    this.decided = this.decisions;
    this.decisions = {};
    for (const window of this.backends.values()) window.clearSlot(this.slot);
    for (const window of this.algorithms.values()) window.clearSlot(this.slot);
  }

  /**
   * For a worker thread: ends the current second (as `rotate()`) and returns what it
   * recorded, keys without requests left out.
   */
  takeSecond(): TrafficSecond {
    const completed = this.slot;
    this.rotate();
    const backends = [...this.backends].filter(([, window]) => window.requestsIn(completed) > 0);
    const algorithms = [...this.algorithms].filter(([, window]) => window.requestsIn(completed) > 0);
    const counts = new Uint32Array((backends.length + algorithms.length) * STRIDE);
    [...backends, ...algorithms].forEach(([, window], i) => window.copySlot(completed, counts, i * STRIDE));
    return { backends: backends.map(([id]) => id), algorithms: algorithms.map(([name]) => name), counts };
  }

  /** For the primary: adds a worker's second to the current one. */
  addSecond(second: TrafficSecond): void {
    const add = (windows: Map<string, RequestWindow>, key: string, at: number) => {
      let window = windows.get(key);
      if (window === undefined) windows.set(key, (window = new RequestWindow()));
      window.addToSlot(this.slot, second.counts, at);
    };
    second.backends.forEach((id, i) => add(this.backends, id, i * STRIDE));
    second.algorithms.forEach((name, i) => add(this.algorithms, name, (second.backends.length + i) * STRIDE));
    for (const [choice, count] of Object.entries(second.decisions ?? {})) this.decisions[choice] = (this.decisions[choice] ?? 0) + count;
  }

  /** Adaptive's decisions that other threads reported for the last complete second, per choice. */
  reportedDecisions(): Readonly<Record<string, number>> {
    return this.decided;
  }

  backend(id: string): RateSummary {
    return this.summarize(this.backends.get(id));
  }

  algorithm(name: string): RateSummary {
    return this.summarize(this.algorithms.get(name));
  }

  /** Drops the rings of backends no longer listed (a request finishing late on one re-creates it until the next call). */
  keepBackends(ids: ReadonlySet<string>): void {
    for (const id of this.backends.keys()) if (!ids.has(id)) this.backends.delete(id);
  }

  private summarize(window: RequestWindow | undefined): RateSummary {
    if (window === undefined) return { lastSecond: 0, rps: 0, requests: 0, errors: 0, p50Ms: null, p99Ms: null };
    const previous = (this.slot + SLOTS - 1) % SLOTS;
    const summary = window.summarize(this.slot, previous, this.scratch);
    return { ...summary, rps: (summary.lastSecond * 1000) / this.completedMs };
  }
}
