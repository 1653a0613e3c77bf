import fc from 'fast-check';
import type { Server } from '../src/index.js';

/** Mutable test servers: tests play the balancer and set `inFlight` themselves. */
export interface TestServer extends Server {
  weight: number;
  inFlight: number;
}

export function servers(count: number, weight = 1): TestServer[] {
  return Array.from({ length: count }, (_, i) => ({ id: `s${i}`, weight, inFlight: 0 }));
}

export function weighted(...weights: number[]): TestServer[] {
  return weights.map((weight, i) => ({ id: String.fromCharCode(97 + i), weight, inFlight: 0 }));
}

/** `count` distinct IPv4-looking client addresses. */
export function clientIps(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
}

/** Arbitrary server lists: ids unique, weights including 0 (drained), in-flight counts. */
export const serverListArb = fc
  .uniqueArray(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 6 }),
      weight: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10 })),
      inFlight: fc.nat(20),
    }),
    { selector: (server) => server.id, maxLength: 12 },
  )
  .map((list): TestServer[] => list);

export function counts<T>(picks: readonly T[]): Map<T, number> {
  const result = new Map<T, number>();
  for (const pick of picks) result.set(pick, (result.get(pick) ?? 0) + 1);
  return result;
}
