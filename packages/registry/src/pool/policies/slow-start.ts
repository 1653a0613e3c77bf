/** Share of its weight a backend gets the moment it (re)joins, before ramping up. */
export const SLOW_START_INITIAL_FACTOR = 0.1;

/**
 * The slow-start multiplier `elapsedMs` after a backend became healthy: linear from 10% to
 * 100% over `slowStartMs`, then 1. A cold backend (empty caches, JIT not warm, connection
 * pools empty) gets a trickle first rather than its full share at once.
 */
export function slowStartFactor(elapsedMs: number, slowStartMs: number): number {
  if (slowStartMs <= 0 || elapsedMs >= slowStartMs) return 1;
  const progress = Math.max(0, elapsedMs) / slowStartMs;
  return SLOW_START_INITIAL_FACTOR + (1 - SLOW_START_INITIAL_FACTOR) * progress;
}
