/**
 * Requests in flight per backend, shared by every worker thread: the job nginx's upstream
 * `zone` does for its workers. One `SharedArrayBuffer` holds, per backend slot, the total
 * (what algorithms read on every pick: one plain load) and each worker's own share (so
 * that what a worker held when it died can be taken back out of the total).
 *
 * Cost per request: two `Atomics.add` on acquire and two on release; a pick reads the
 * total with one typed-array load per backend it looks at.
 */
export class SharedInFlight {
  /** Backend slots; a slot is free again once its backend has left and nothing is in flight on it. */
  static readonly SLOTS = 1024;
  readonly buffer: SharedArrayBuffer;
  private readonly total: Int32Array;
  private readonly perWorker: Int32Array;

  constructor(
    readonly maxWorkers: number,
    buffer?: SharedArrayBuffer,
  ) {
    const ints = SharedInFlight.SLOTS * (1 + maxWorkers);
    this.buffer = buffer ?? new SharedArrayBuffer(ints * Int32Array.BYTES_PER_ELEMENT);
    this.total = new Int32Array(this.buffer, 0, SharedInFlight.SLOTS);
    this.perWorker = new Int32Array(this.buffer, SharedInFlight.SLOTS * Int32Array.BYTES_PER_ELEMENT);
  }

  add(worker: number, slot: number, delta: 1 | -1): void {
    Atomics.add(this.total, slot, delta);
    Atomics.add(this.perWorker, worker * SharedInFlight.SLOTS + slot, delta);
  }

  /** Requests in flight on the backend in `slot`, over every worker. */
  get(slot: number): number {
    return this.total[slot]!;
  }

  /** A worker is gone: what it held is no longer in flight. Returns how many requests that was. */
  forgetWorker(worker: number): number {
    let released = 0;
    for (let slot = 0; slot < SharedInFlight.SLOTS; slot++) {
      const held = Atomics.exchange(this.perWorker, worker * SharedInFlight.SLOTS + slot, 0);
      if (held === 0) continue;
      Atomics.sub(this.total, slot, held);
      released += held;
    }
    return released;
  }
}
