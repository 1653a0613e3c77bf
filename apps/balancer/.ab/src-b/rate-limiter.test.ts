import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

function limiter(ratePerSecond: number, burst: number, maxClients = 100) {
  const clock = { ms: 0 };
  return { clock, limiter: new RateLimiter({ ratePerSecond, burst, maxClients }, () => clock.ms) };
}

describe('RateLimiter', () => {
  it('lets a burst through, then one request per token, and says how long to wait', () => {
    const { clock, limiter: rl } = limiter(2, 3);
    expect([rl.take('a'), rl.take('a'), rl.take('a')]).toEqual([0, 0, 0]);
    expect(rl.take('a')).toBe(1); // empty: half a second to the next token, rounded up to 1 s
    clock.ms += 500;
    expect(rl.take('a')).toBe(0);
    expect(rl.take('a')).toBe(1);
  });

  it('never refills beyond the burst', () => {
    const { clock, limiter: rl } = limiter(10, 2);
    rl.take('a');
    clock.ms += 60_000;
    expect([rl.take('a'), rl.take('a'), rl.take('a')]).toEqual([0, 0, 1]);
  });

  it('reports Retry-After in whole seconds until a token at slow rates', () => {
    const { clock, limiter: rl } = limiter(0.1, 1); // one request per 10 s
    expect(rl.take('a')).toBe(0);
    expect(rl.take('a')).toBe(10);
    clock.ms += 4000;
    expect(rl.take('a')).toBe(6);
  });

  it('keeps clients apart', () => {
    const { limiter: rl } = limiter(1, 1);
    expect(rl.take('a')).toBe(0);
    expect(rl.take('a')).toBe(1);
    expect(rl.take('b')).toBe(0);
  });

  it('stays within maxClients, forgetting the clients not seen for longest', () => {
    const { limiter: rl } = limiter(1, 1, 4); // two generations of two
    for (const client of ['a', 'b']) rl.take(client); // both buckets now empty
    rl.take('c'); // current generation full: {a, b} becomes the older one
    expect(rl.take('a')).toBe(1); // a is seen again: remembered, still empty, and current again
    rl.take('d'); // rotates: {c, a} older, {d} current; b, not seen since, is forgotten
    expect(rl.size).toBe(3);
    expect(rl.take('a')).toBe(1); // a is still remembered (and still empty)
    expect(rl.take('b')).toBe(0); // b was forgotten: it starts again with a full bucket
    for (let i = 0; i < 10_000; i++) {
      rl.take(`10.0.${i >> 8}.${i & 255}`);
      expect(rl.size).toBeLessThanOrEqual(4);
    }
  });

  it('costs O(1) per request even when a flood of addresses keeps it full', () => {
    const rl = new RateLimiter({ ratePerSecond: 10, burst: 10, maxClients: 10_000 });
    const keys = Array.from({ length: 200_000 }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    for (const key of keys) rl.take(key); // fill, and churn through many generations
    const started = performance.now();
    for (const key of keys) rl.take(key);
    const perTakeUs = ((performance.now() - started) * 1000) / keys.length;
    expect(rl.size).toBeLessThanOrEqual(10_000);
    // A least-recently-used order kept in one Map cost ~30 us here; the budget is generous for slow CI.
    expect(perTakeUs).toBeLessThan(5);
  });
});
