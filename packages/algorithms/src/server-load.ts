import type { Server } from './types.js';

/** A server's weight as algorithms use it: default 1; anything not positive and finite counts as 0. */
export function weightOf(server: Server): number {
  const weight = server.weight ?? 1;
  return weight > 0 && weight < Number.POSITIVE_INFINITY ? weight : 0;
}

/** Requests in flight, default 0; a negative or NaN count reads as 0. */
export function inFlightOf(server: Server): number {
  const inFlight = server.inFlight ?? 0;
  return Math.max(inFlight, 0);
}

/**
 * True when `a` is less loaded than `b`, comparing in-flight per unit of weight by
 * cross-multiplying (no division, exact for integer counts). Both weights must be > 0.
 */
export function lessLoaded(aInFlight: number, aWeight: number, bInFlight: number, bWeight: number): boolean {
  return aInFlight * bWeight < bInFlight * aWeight;
}
