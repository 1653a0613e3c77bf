/**
 * Identical, bounded, open-loop load for one algorithm: `requests` GETs started at a fixed
 * `rate` (request i at i / rate seconds, whatever the answers do, as independent clients
 * would), at most `concurrency` in flight, stopped after `maxSeconds` in any case. Each
 * answer's latency (ms, measured here), status and `x-lbpoc-backend` header are kept.
 *
 * @returns {Promise<{ samples: { ms: number, status: number, backend: string | null }[], seconds: number }>}
 */
export async function runLoad(baseUrl, algorithm, { requests, rate, concurrency, maxSeconds }) {
  const url = new URL(baseUrl);
  url.searchParams.set('algo', algorithm);
  const target = url.toString();
  const samples = [];
  const start = performance.now();
  const deadline = start + maxSeconds * 1000;
  let next = 0;

  async function one() {
    const begun = performance.now();
    let status = 0;
    let backend = null;
    try {
      const response = await fetch(target, { signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
      status = response.status;
      backend = response.headers.get('x-lbpoc-backend');
    } catch {}
    samples.push({ ms: performance.now() - begun, status, backend });
  }

  async function worker() {
    while (next < requests) {
      const due = start + (next * 1000) / rate;
      if (due > deadline) return;
      next++;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await one();
    }
  }

  await Promise.all(Array.from({ length: concurrency }, worker));
  return { samples, seconds: (performance.now() - start) / 1000 };
}
