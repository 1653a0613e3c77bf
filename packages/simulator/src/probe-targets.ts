/**
 * Draws which backends a balancer probes for one request: `rate` of them on average (the
 * whole part always, one more with probability the fraction), distinct, uniformly among
 * `count` backends (a partial Fisher-Yates over a reused index array). Writes them to the
 * front of `targets()` and returns how many.
 *
 * Complexity: O(k) per request for k probes. No allocation after construction.
 */
export class ProbeTargets {
  private readonly order: Int32Array;

  constructor(
    count: number,
    private readonly rate: number,
    private readonly random: () => number,
  ) {
    this.order = Int32Array.from({ length: count }, (_, i) => i);
  }

  /** Draws this request's targets; they are `targets()[0, returned)`. */
  draw(): number {
    const whole = Math.floor(this.rate);
    const wanted = whole + (this.random() < this.rate - whole ? 1 : 0);
    const size = Math.min(wanted, this.order.length);
    for (let k = 0; k < size; k++) {
      const j = k + Math.floor(this.random() * (this.order.length - k));
      const swap = this.order[k]!;
      this.order[k] = this.order[j]!;
      this.order[j] = swap;
    }
    return size;
  }

  targets(): Int32Array {
    return this.order;
  }
}
