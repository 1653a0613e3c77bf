import { performance } from 'node:perf_hooks';

/** Upper bound of `/cpu?ms=`: a burn blocks the event loop (on purpose), so it must end. */
export const MAX_CPU_MS = 5000;

export type CpuMsResult = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly error: string };

/** Validates the `ms` query parameter of `/cpu`: a whole number from 0 to MAX_CPU_MS. */
export function parseCpuMs(value: string | null): CpuMsResult {
  const allowed = `a whole number of milliseconds from 0 to ${MAX_CPU_MS}, e.g. /cpu?ms=50`;
  if (value === null) return { ok: false, error: `query parameter ms is required: ${allowed}` };
  if (!/^\d+$/.test(value) || Number(value) > MAX_CPU_MS) {
    return { ok: false, error: `query parameter ms=${JSON.stringify(value)} is not valid: ${allowed}` };
  }
  return { ok: true, ms: Number(value) };
}

/**
 * Spins the CPU for `ms` milliseconds and returns how long it actually spun. Synchronous
 * on purpose: it stands for CPU-bound work, which in Node holds the only thread, so the
 * server answers nothing else meanwhile (that is what load balancing must cope with).
 */
export function burnCpu(ms: number): number {
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) elapsed = performance.now() - start;
  return elapsed;
}
