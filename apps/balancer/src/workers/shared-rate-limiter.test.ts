import { describe, expect, it } from 'vitest';
import { SharedRateLimiter } from './shared-rate-limiter.js';

const CONFIG = { ratePerSecond: 5, burst: 3, maxClients: 100, ipv6Prefix: 64 };

describe('SharedRateLimiter', () => {
  it('lets a burst through, then refuses with the seconds to wait, per client', () => {
    const limiter = new SharedRateLimiter(CONFIG);
    expect([1, 2, 3].map(() => limiter.take('10.0.0.1'))).toEqual([0, 0, 0]);
    expect(limiter.take('10.0.0.1')).toBe(1);
    expect(limiter.take('10.0.0.2')).toBe(0);
  });

  it('is one limit for every view of the same buffer (as worker threads have)', () => {
    const one = new SharedRateLimiter(CONFIG);
    const other = new SharedRateLimiter(CONFIG, one.buffer);
    expect(one.take('10.0.0.1')).toBe(0);
    expect(other.take('10.0.0.1')).toBe(0);
    expect(one.take('10.0.0.1')).toBe(0);
    expect(other.take('10.0.0.1')).toBe(1);
  });

  it('keys IPv6 clients by their prefix', () => {
    const limiter = new SharedRateLimiter(CONFIG);
    for (let i = 1; i <= 3; i++) expect(limiter.take(`2001:db8:1:2::${i}`)).toBe(0);
    expect(limiter.take('2001:db8:1:2::ffff')).toBe(1);
    expect(limiter.take('2001:db8:1:3::1')).toBe(0);
  });

  it('stays bounded under more clients than it holds, and still limits a client seen again at once', () => {
    const limiter = new SharedRateLimiter({ ...CONFIG, maxClients: 2 });
    for (let i = 0; i < 50_000; i++) limiter.take(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    expect(limiter.buffer.byteLength).toBe(SharedRateLimiter.bucketsFor(2) * 32);
    for (let i = 0; i < 3; i++) limiter.take('192.0.2.1');
    expect(limiter.take('192.0.2.1')).toBe(1);
  });
});
