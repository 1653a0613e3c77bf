import type { StatusHistory } from './status-types.js';

/** Seconds of history the charts show. */
export const HISTORY_SECONDS = 300;

interface BackendSeries {
  readonly rps: Float64Array;
  readonly p99: Float64Array;
}

/**
 * The last `HISTORY_SECONDS` one-second points the status page's charts draw: requests/s
 * and p99 per backend, requests/s per algorithm. Kept whether or not anyone watches, so a
 * page opened now shows the last five minutes. Fixed rings (NaN: no value), written once
 * a second; a backend that leaves the pool leaves the history.
 */
export class HistoryRing {
  private readonly times = new Float64Array(HISTORY_SECONDS);
  private readonly backends = new Map<string, BackendSeries>();
  private readonly algorithms = new Map<string, Float64Array>();
  /** Index the next point goes to; `size` points are valid, ending just before it. */
  private next = 0;
  private size = 0;

  /** One point; backends not in `backends` are dropped from the history. */
  push(
    t: number,
    backends: readonly { readonly id: string; readonly rps: number; readonly p99Ms: number | null }[],
    algorithms: readonly { readonly name: string; readonly rps: number }[],
  ): void {
    const at = this.next;
    this.times[at] = t;
    const present = new Set<string>();
    for (const backend of backends) {
      present.add(backend.id);
      let series = this.backends.get(backend.id);
      if (series === undefined) {
        series = { rps: new Float64Array(HISTORY_SECONDS).fill(Number.NaN), p99: new Float64Array(HISTORY_SECONDS).fill(Number.NaN) };
        this.backends.set(backend.id, series);
      }
      series.rps[at] = backend.rps;
      series.p99[at] = backend.p99Ms ?? Number.NaN;
    }
    for (const id of this.backends.keys()) if (!present.has(id)) this.backends.delete(id);
    for (const algorithm of algorithms) {
      let series = this.algorithms.get(algorithm.name);
      if (series === undefined) this.algorithms.set(algorithm.name, (series = new Float64Array(HISTORY_SECONDS).fill(Number.NaN)));
      series[at] = algorithm.rps;
    }
    this.next = (at + 1) % HISTORY_SECONDS;
    this.size = Math.min(HISTORY_SECONDS, this.size + 1);
  }

  /** The points in time order, rounded for the wire (0.01 req/s, 1 µs). */
  toJSON(): StatusHistory {
    const order: number[] = [];
    for (let i = this.size; i > 0; i--) order.push((this.next - i + HISTORY_SECONDS) % HISTORY_SECONDS);
    const read = (values: Float64Array, digits: number) => order.map((i) => (Number.isNaN(values[i]!) ? null : round(values[i]!, digits)));
    return {
      t: order.map((i) => this.times[i]!),
      backends: [...this.backends].map(([id, series]) => ({ id, rps: read(series.rps, 2), p99_ms: read(series.p99, 3) })),
      algorithms: [...this.algorithms].map(([name, series]) => ({ name, rps: read(series, 2) })),
    };
  }
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
