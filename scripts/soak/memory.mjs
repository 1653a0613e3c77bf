import { readFileSync } from 'node:fs';

// The memory verdict: after warm-up, split the samples into quarters; the mean RSS of the
// last quarter must exceed the first quarter's by less than `maxGrowth`. Comparing means
// of quarters (not single samples) keeps a garbage collection's saw-tooth from deciding.

export function memoryVerdict(samples, warmupS, maxGrowth) {
  const measured = samples.filter((s) => s.atS >= warmupS);
  const quarter = Math.floor(measured.length / 4);
  if (quarter < 2) return { ok: false, reason: `too few samples after warm-up (${measured.length})`, quarters: [] };
  const quarters = [0, 1, 2, 3].map((q) => {
    const slice = q === 3 ? measured.slice(3 * quarter) : measured.slice(q * quarter, (q + 1) * quarter);
    return { fromS: slice[0].atS, toS: slice.at(-1).atS, meanBytes: slice.reduce((sum, s) => sum + s.rssBytes, 0) / slice.length, samples: slice.length };
  });
  const growth = quarters[3].meanBytes / quarters[0].meanBytes - 1;
  return { ok: growth < maxGrowth, growth, maxGrowth, quarters, samples: measured.length };
}

/** Mean heap used and heap size per RSS quarter, from the scraped samples (diagnostic only). */
export function heapByQuarter(heap, quarters) {
  return quarters.map((q) => {
    const inside = heap.filter((h) => h.atS >= q.fromS && h.atS <= q.toS && Number.isFinite(h.usedBytes));
    const mean = (key) => (inside.length === 0 ? Number.NaN : inside.reduce((sum, h) => sum + h[key], 0) / inside.length);
    return { samples: inside.length, meanUsedBytes: mean('usedBytes'), meanTotalBytes: mean('totalBytes'), meanNewSpaceBytes: mean('newSpaceBytes') };
  });
}

/** Resident set size of a process in bytes (Linux /proc), or undefined once it is gone. */
export function rssBytes(pid) {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
