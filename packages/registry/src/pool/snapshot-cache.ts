/**
 * Holds the array `eligible()` returns and replaces it only when its content changes.
 * Algorithms key precomputed state (a Maglev table, smooth WRR scores) on the array's
 * identity, so an unchanged set must keep the same object, and a changed one (members,
 * order, or any effective weight) must get a new one.
 */
export class SnapshotCache<T extends { readonly weight: number }> {
  private items: readonly T[] = Object.freeze([]);
  private weights: readonly number[] = [];

  get current(): readonly T[] {
    return this.items;
  }

  /** Offers the latest content; returns true if it differs and a new array was published. */
  update(next: readonly T[]): boolean {
    if (this.matches(next)) return false;
    this.items = Object.freeze([...next]);
    this.weights = next.map((item) => item.weight);
    return true;
  }

  private matches(next: readonly T[]): boolean {
    if (next.length !== this.items.length) return false;
    for (let i = 0; i < next.length; i++) {
      if (next[i] !== this.items[i] || next[i]!.weight !== this.weights[i]) return false;
    }
    return true;
  }
}
