/**
 * A min-priority queue of timed events: a binary heap ordered by time, then by insertion
 * order. The sequence number is what makes runs reproducible: two events at the same
 * instant (a completion and an arrival, say) always come out in the order they were
 * scheduled, whatever the heap's internal layout, so the same inputs replay identically.
 *
 * Complexity: O(log n) push and pop, O(1) peek.
 */
export class EventQueue<T> {
  private readonly times: number[] = [];
  private readonly seqs: number[] = [];
  private readonly values: T[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.values.length;
  }

  /** Schedules `value` at `time`. */
  push(time: number, value: T): void {
    this.times.push(time);
    this.seqs.push(this.nextSeq++);
    this.values.push(value);
    this.siftUp(this.values.length - 1);
  }

  /** Time of the earliest event, or undefined when empty. */
  peekTime(): number | undefined {
    return this.times[0];
  }

  /** Removes and returns the earliest event (first scheduled among equal times). */
  pop(): { time: number; value: T } | undefined {
    const count = this.values.length;
    if (count === 0) return undefined;
    const time = this.times[0]!;
    const value = this.values[0]!;
    const lastTime = this.times.pop()!;
    const lastSeq = this.seqs.pop()!;
    const lastValue = this.values.pop()!;
    if (count > 1) {
      this.times[0] = lastTime;
      this.seqs[0] = lastSeq;
      this.values[0] = lastValue;
      this.siftDown(0);
    }
    return { time, value };
  }

  private before(a: number, b: number): boolean {
    const ta = this.times[a]!;
    const tb = this.times[b]!;
    return ta < tb || (ta === tb && this.seqs[a]! < this.seqs[b]!);
  }

  private swap(a: number, b: number): void {
    [this.times[a], this.times[b]] = [this.times[b]!, this.times[a]!];
    [this.seqs[a], this.seqs[b]] = [this.seqs[b]!, this.seqs[a]!];
    [this.values[a], this.values[b]] = [this.values[b]!, this.values[a]!];
  }

  private siftUp(start: number): void {
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(index, parent)) return;
      this.swap(index, parent);
      index = parent;
    }
  }

  private siftDown(start: number): void {
    const count = this.values.length;
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= count) return;
      const right = left + 1;
      const child = right < count && this.before(right, left) ? right : left;
      if (!this.before(child, index)) return;
      this.swap(index, child);
      index = child;
    }
  }
}
