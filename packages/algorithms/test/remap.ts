import { hashString } from '../src/hash.js';
import type { Algorithm, Server } from '../src/index.js';

/** Which server each client maps to, by id. */
export function assignments(algorithm: Algorithm, list: readonly Server[], clients: readonly string[]): string[] {
  return clients.map((ip) => algorithm.pick(list, ip)!.id);
}

/** Fraction of clients whose server changed between two assignments. */
export function remappedFraction(before: readonly string[], after: readonly string[]): number {
  let moved = 0;
  for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) moved++;
  return moved / before.length;
}

/** The seed's `hash(ip) % n`, for comparison. */
export function moduloAssignments(list: readonly Server[], clients: readonly string[]): string[] {
  return clients.map((ip) => list[hashString(ip) % list.length]!.id);
}
