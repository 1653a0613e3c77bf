import { performance } from 'node:perf_hooks';

/**
 * Waits at least `ms` milliseconds. A single `setTimeout` can fire up to a millisecond
 * early measured by a monotonic clock (libuv rounds its cached loop time), and a
 * simulated delay is a promise to the client, so the wait re-arms for any remainder.
 */
export async function sleep(ms: number): Promise<void> {
  const start = performance.now();
  for (;;) {
    const left = ms - (performance.now() - start);
    if (left <= 0) return;
    await new Promise<void>((resolve) => setTimeout(resolve, Math.ceil(left)));
  }
}
