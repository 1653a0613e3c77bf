/**
 * Picks per server in consecutive windows of simulated time (by pick time): what a
 * convergence bar reads ("shares within 10% of 1:2:4 by 10 s"). Grows as time advances.
 */
export class Timeline {
  private readonly windows: number[][] = [];

  constructor(
    readonly window: number,
    private readonly servers: number,
  ) {
    if (!(window > 0 && Number.isFinite(window))) throw new RangeError(`timelineWindow must be a positive finite number, got ${window}`);
  }

  count(time: number, server: number): void {
    const index = Math.floor(time / this.window);
    while (this.windows.length <= index) this.windows.push(new Array<number>(this.servers).fill(0));
    this.windows[index]![server]!++;
  }

  /** Picks per server, one row per window from time 0. */
  picks(): readonly (readonly number[])[] {
    return this.windows;
  }
}
