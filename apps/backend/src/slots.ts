/**
 * CONCURRENCY: at most `limit` requests are worked on at once; the rest wait in arrival
 * order. That makes the demo backend a queueing server like a real one (a thread pool,
 * a database's connections): its latency grows with its load, which is what load-aware
 * algorithms are for. 0 means no limit (every request is worked on at once).
 */
export class Slots {
  private inUse = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  /** Slots in use now. */
  get busy(): number {
    return this.inUse;
  }

  /** Resolves once a slot is this request's; `release` must follow, exactly once. */
  take(): Promise<void> | undefined {
    if (this.limit === 0 || this.inUse < this.limit) {
      this.inUse++;
      return undefined;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next !== undefined) next();
    else this.inUse--;
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }
}
