/**
 * Identical, bounded, open-loop load for one algorithm: `requests` GETs due at a fixed
 * `rate` (request i at i / rate seconds), each sent when it is due whatever is in flight,
 * as independent clients would. There is no closed loop: a slow answer never delays the
 * next send. Two guards bound it:
 *
 * - `concurrency`, a cap on requests in flight (a safety net for the machine). A send that
 *   finds the cap full waits for a slot; it is counted in `capped` (and is late).
 * - `maxSeconds`: nothing is sent after it, and answers still out then are abandoned.
 *
 * Latency is measured from when the request was due, not when it went out (as wrk2 does),
 * so a late send (timer lag on a busy machine, or the cap) counts against the run instead
 * of hiding a queue: no coordinated omission. A send more than `LATE_MS` after its due
 * time is counted in `late`, and the largest lateness is kept.
 *
 * `targets` is one URL or several (several balancers in front of the same backends):
 * request i goes to targets[i % targets.length]. `events` run once at their `at` (seconds
 * from the start) while the load goes on, for example slowing a backend; the run waits for
 * them to finish. Each sample keeps when it was due (`due`, seconds from the start) and how
 * late it went out (`lateMs`).
 *
 * @returns {Promise<{ samples: { ms: number, status: number, backend: string | null, due: number, lateMs: number }[], seconds: number, late: number, capped: number, maxLateMs: number }>}
 */
export const LATE_MS = 10;

export async function runLoad(targets, algorithm, { requests, rate, concurrency, maxSeconds, events = [] }) {
  const urls = (Array.isArray(targets) ? targets : [targets]).map((base) => {
    const url = new URL(base);
    url.searchParams.set('algo', algorithm);
    return url.toString();
  });
  const samples = [];
  const start = performance.now();
  const deadline = start + maxSeconds * 1000;
  let inFlight = 0;
  let late = 0;
  let capped = 0;
  let maxLateMs = 0;
  let slotFreed = () => {};
  const pending = new Set();

  async function one(index, due, lateMs) {
    let status = 0;
    let backend = null;
    try {
      const response = await fetch(urls[index % urls.length], { signal: AbortSignal.timeout(Math.max(1, Math.ceil(deadline - performance.now()))) });
      await response.arrayBuffer();
      status = response.status;
      backend = response.headers.get('x-lbpoc-backend');
    } catch {}
    samples.push({ ms: performance.now() - due, status, backend, due: (due - start) / 1000, lateMs });
  }

  const eventRuns = events.map(({ at, action }) =>
    new Promise((resolve) => setTimeout(resolve, at * 1000)).then(() => (performance.now() < deadline ? action() : undefined)),
  );

  for (let index = 0; index < requests; index++) {
    const due = start + (index * 1000) / rate;
    if (due > deadline) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight >= concurrency) {
      capped++;
      while (inFlight >= concurrency && performance.now() < deadline) await new Promise((resolve) => (slotFreed = resolve));
    }
    const lateness = performance.now() - due;
    if (lateness > LATE_MS) late++;
    maxLateMs = Math.max(maxLateMs, lateness);
    inFlight++;
    const request = one(index, due, lateness).finally(() => {
      inFlight--;
      pending.delete(request);
      slotFreed();
    });
    pending.add(request);
  }
  await Promise.all(pending);
  const seconds = (performance.now() - start) / 1000;
  await Promise.all(eventRuns);
  return { samples, seconds, late, capped, maxLateMs };
}
