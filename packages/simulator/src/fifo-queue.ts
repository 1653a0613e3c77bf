/**
 * A first-in first-out queue of request indexes: the line in front of a busy server.
 * A growable ring buffer rather than `Array.shift()`, because an overloaded server (round
 * robin feeding the slow one) can hold tens of thousands of requests, and shifting an
 * array that long on every completion would make the simulation quadratic.
 *
 * Complexity: O(1) amortised push and shift.
 */
export class FifoQueue {
  private buffer = new Int32Array(16);
  private head = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(value: number): void {
    if (this.count === this.buffer.length) this.grow();
    this.buffer[(this.head + this.count) % this.buffer.length] = value;
    this.count++;
  }

  /** Removes and returns the oldest value, or undefined when empty. */
  shift(): number | undefined {
    if (this.count === 0) return undefined;
    const value = this.buffer[this.head]!;
    this.head = (this.head + 1) % this.buffer.length;
    this.count--;
    return value;
  }

  private grow(): void {
    const next = new Int32Array(this.buffer.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = this.buffer[(this.head + i) % this.buffer.length]!;
    this.buffer = next;
    this.head = 0;
  }
}
