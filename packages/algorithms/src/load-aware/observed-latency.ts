/**
 * One server's own latency samples (from `observe()`), as latency per request in flight:
 * the decayed sum of latencies over the decayed sum of (in flight + 1) at the moments
 * they were taken, a sample `t` clock units old weighing exp(-t / decayTime) as much as a
 * new one. `latencyAt(inFlight)` scales it back to a given count: the latency a request
 * sent now can expect, assuming it grows linearly with the queue. A plain average would
 * lag the queue: an idle server would keep the latency of its last busy spell and be
 * passed over while others queue.
 *
 * The count given with a sample is the server's in-flight count when the response came
 * back: on average what the request found on arrival (what a departure leaves behind is
 * distributed as what an arrival finds, in a steady queue).
 *
 * Complexity: O(1) per sample and per read, no allocation.
 */
export class LatencyTrack {
  private latency = 0;
  private load = 0;
  private stamp = Number.NEGATIVE_INFINITY;

  constructor(private readonly decayTime: number) {}

  /** Adds a sample; NaN, negative or infinite samples are ignored (a broken sample must not poison the average). */
  observe(latency: number, now: number, inFlight: number): void {
    if (!(latency >= 0 && Number.isFinite(latency))) return;
    const elapsed = now - this.stamp;
    const past = elapsed > 0 ? Math.exp(-elapsed / this.decayTime) : 1;
    this.latency = this.latency * past + latency;
    this.load = this.load * past + Math.max(0, inFlight) + 1;
    this.stamp = now;
  }

  /** The expected latency at `inFlight`, if the last sample is at most `maxAge` old at `now`; else NaN. */
  latencyAt(now: number, maxAge: number, inFlight: number): number {
    if (this.load === 0 || now - this.stamp > maxAge) return Number.NaN;
    return (this.latency / this.load) * (Math.max(0, inFlight) + 1);
  }
}

/** A `LatencyTrack` per server id, kept across server lists. */
export class ObservedLatency {
  private readonly tracks = new Map<string, LatencyTrack>();

  constructor(private readonly decayTime: number) {}

  get size(): number {
    return this.tracks.size;
  }

  /** The server's track, made empty the first time. */
  track(serverId: string): LatencyTrack {
    let track = this.tracks.get(serverId);
    if (track === undefined) {
      track = new LatencyTrack(this.decayTime);
      this.tracks.set(serverId, track);
    }
    return track;
  }

  /** The server's track if it has one, without making one. */
  find(serverId: string): LatencyTrack | undefined {
    return this.tracks.get(serverId);
  }

  /** Drops the servers not in `ids`, so churn does not grow memory. */
  retainOnly(ids: ReadonlySet<string>): void {
    for (const id of this.tracks.keys()) if (!ids.has(id)) this.tracks.delete(id);
  }
}
