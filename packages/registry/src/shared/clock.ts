/**
 * Time as the pool sees it. Injected so that ejection back-off, slow start and check
 * scheduling can be tested by advancing a fake clock instead of sleeping.
 */
export interface Clock {
  /** Monotonic milliseconds (any origin); only differences are used. */
  now(): number;
  /**
   * Calls `callback` once, `ms` from now, and returns a function that cancels the call.
   * Timers must not keep the process alive on their own: the pool is a helper of some
   * server, and a forgotten `close()` should not hang a CLI or a test run.
   */
  setTimeout(callback: () => void, ms: number): () => void;
}

/** The real clock: `performance.now()` and unref'd `setTimeout`. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};
