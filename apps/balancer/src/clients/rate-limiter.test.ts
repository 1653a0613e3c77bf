import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

function limiter(ratePerSecond: number, burst: number, maxClients = 100, ipv6Prefix = 64) {
  const clock = { ms: 0 };
  return { clock, limiter: new RateLimiter({ ratePerSecond, burst, maxClients, ipv6Prefix }, () => clock.ms) };
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

  it('gives one bucket to an IPv6 /64 (any address in it, any spelling), one to each IPv4 address', () => {
    const { limiter: rl } = limiter(1, 2);
    expect([rl.take('2001:db8:1:2::a'), rl.take('2001:DB8:1:2:ffff:0:0:1')]).toEqual([0, 0]);
    expect(rl.take('2001:db8:1:2:1234:5678:9abc:def0')).toBe(1); // a new address in the same /64: the same, empty bucket
    expect(rl.take('2001:db8:1:3::a')).toBe(0); // the next /64 is another client
    expect([rl.take('198.51.100.1'), rl.take('::ffff:198.51.100.1')]).toEqual([0, 0]);
    expect(rl.take('198.51.100.1')).toBe(1); // mapped or not, the same IPv4 client
    expect(rl.take('198.51.100.2')).toBe(0);
    expect(rl.size).toBe(4);
  });

  it('keys IPv6 clients by the configured prefix', () => {
    const wide = limiter(1, 1, 100, 48).limiter;
    expect([wide.take('2001:db8:1:2::1'), wide.take('2001:db8:1:3::1')]).toEqual([0, 1]); // one /48
    const exact = limiter(1, 1, 100, 128).limiter;
    expect([exact.take('2001:db8:1:2::1'), exact.take('2001:db8:1:2::2'), exact.take('2001:db8:1:2:0::1')]).toEqual([0, 0, 1]);
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

  // IPv6 pays for its key (parsing, masking, a new string to hash): about a microsecond more.
  it.each([
    ['IPv4 addresses', 5, (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`],
    ['IPv6 /64s', 10, (i: number) => `2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::${(i * 7919).toString(16).slice(-4)}`],
  ])('costs O(1) per request even when a flood of %s keeps it full', (_, budgetUs, address) => {
    const rl = new RateLimiter({ ratePerSecond: 10, burst: 10, maxClients: 10_000, ipv6Prefix: 64 });
    const keys = Array.from({ length: 200_000 }, (_, i) => address(i));
    for (const key of keys) rl.take(key); // fill, and churn through many generations
    const started = performance.now();
    for (const key of keys) rl.take(key);
    const perTakeUs = ((performance.now() - started) * 1000) / keys.length;
    expect(rl.size).toBeLessThanOrEqual(10_000);
    // A least-recently-used order kept in one Map cost ~30 us here; the budget is generous for slow CI.
    expect(perTakeUs).toBeLessThan(budgetUs);
  });
});
