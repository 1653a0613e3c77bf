interface Window {
  start: number;
  count: number;
  /** Completions per clock unit over the last full window; NaN before the first one ends. */
  rate: number;
}

/**
 * This balancer's own completion rate per server, from `observe()` calls counted in
 * consecutive windows of `window` clock units: the rate of the last full window. A window
 * that has run past its end without being closed (no completion since) reads as its count
 * over the time so far, so a server that stopped answering drifts towards 0.
 *
 * Complexity: O(1) per sample and per read. One small object per server.
 */
export class ObservedRate {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly window: number) {}

  get size(): number {
    return this.windows.size;
  }

  /** Counts one completion at `now`. */
  observe(serverId: string, now: number): void {
    const current = this.windows.get(serverId);
    if (current === undefined) {
      this.windows.set(serverId, { start: now, count: 1, rate: Number.NaN });
      return;
    }
    const elapsed = now - current.start;
    if (elapsed >= this.window) {
      current.rate = current.count / elapsed;
      current.start = now;
      current.count = 0;
    }
    current.count++;
  }

  /** Completions per clock unit, or undefined before a full window has been seen. */
  rateOf(serverId: string, now: number): number | undefined {
    const current = this.windows.get(serverId);
    if (current === undefined) return undefined;
    const elapsed = now - current.start;
    if (elapsed >= this.window) return current.count / elapsed;
    return Number.isNaN(current.rate) ? undefined : current.rate;
  }

  /** Drops the servers not in `ids`. */
  retainOnly(ids: ReadonlySet<string>): void {
    for (const id of this.windows.keys()) if (!ids.has(id)) this.windows.delete(id);
  }
}
