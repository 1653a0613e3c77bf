/**
 * Bounded, paced load: request i starts at i / `rate` seconds (open loop, like real
 * clients), at most `concurrency` in flight, at most `total` requests and `seconds` seconds,
 * only to the URLs the caller gives (the test's own 127.0.0.1 servers). Returns how many
 * answers had each status (0: no answer).
 */
export async function drive(
  urlFor: (i: number) => string,
  options: { total: number; seconds: number; concurrency: number; rate?: number },
): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  const start = Date.now();
  const deadline = start + options.seconds * 1000;
  let next = 0;
  const worker = async () => {
    while (next < options.total && Date.now() < deadline) {
      const i = next++;
      if (options.rate) {
        const due = start + (i * 1000) / options.rate;
        if (due > deadline) return;
        if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      }
      let status = 0;
      try {
        const response = await fetch(urlFor(i), { signal: AbortSignal.timeout(5000) });
        await response.arrayBuffer();
        status = response.status;
      } catch {}
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return statuses;
}
