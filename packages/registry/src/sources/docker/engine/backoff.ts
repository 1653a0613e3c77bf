/**
 * Delay before reconnection attempt `attempt` (0 for the first): `initialMs`, doubling,
 * capped at `maxMs`. A daemon restart takes seconds, a broken host hours: the first
 * attempts come quickly, later ones stop hammering a socket that is not coming back.
 */
export function backoffDelayMs(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
}
