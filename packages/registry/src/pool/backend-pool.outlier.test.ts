import { describe, expect, it } from 'vitest';
import { addresses, fail, ids, manualPool } from '../../test/pool-fixture.js';

const outlierDetection = { consecutiveConnectFailures: 3, consecutive5xx: 5, baseEjectionMs: 1000, maxEjectionMs: 4000 };

describe('BackendPool passive ejection', () => {
  it('ejects after consecutive connect failures, for a doubling time capped at maxEjectionMs', async () => {
    const { pool, clock, health, byId } = await manualPool(addresses(3), { outlierDetection, slowStartMs: 0 });
    const b1 = byId('b1:80');
    const durations: number[] = [];
    for (let round = 0; round < 4; round++) {
      fail(pool, 'b1:80', 2);
      expect(b1.ejected).toBe(false);
      fail(pool, 'b1:80', 1);
      expect(b1.ejected).toBe(true);
      expect(b1.healthy).toBe(false);
      expect(ids(pool.eligible())).toEqual(['b2:80', 'b3:80']);
      const start = clock.now();
      const until = b1.ejectedUntil;
      while (b1.ejected) clock.advance(1);
      durations.push(clock.now() - start);
      expect(until, 'ejectedUntil said when it would end').toBe(clock.now());
      expect(b1.ejectedUntil).toBeUndefined();
      expect(ids(pool.eligible())).toEqual(['b1:80', 'b2:80', 'b3:80']);
    }
    expect(durations).toEqual([1000, 2000, 4000, 4000]);
    expect(b1.counters.ejections).toBe(4);
    expect(health.slice(0, 2)).toEqual([
      { backend: b1, healthy: false, reason: 'ejected', message: 'ejected for 1000 ms after 3 consecutive connect failures or timeouts' },
      { backend: b1, healthy: true, reason: 'ejection_expired', message: 'readmitted after a 1000 ms ejection' },
    ]);
    await pool.close();
  });

  it('ejects after five consecutive 5xx', async () => {
    const { pool, byId } = await manualPool(addresses(2), { outlierDetection });
    fail(pool, 'b2:80', 4, 'http_5xx');
    pool.reportResult(byId('b2:80'), { outcome: 'success' });
    fail(pool, 'b2:80', 4, 'http_5xx');
    expect(byId('b2:80').ejected).toBe(false);
    fail(pool, 'b2:80', 1, 'http_5xx');
    expect(byId('b2:80').ejected).toBe(true);
    await pool.close();
  });

  it('forgets one ejection per baseEjectionMs spent admitted', async () => {
    const { pool, clock, byId } = await manualPool(addresses(3), { outlierDetection, slowStartMs: 0 });
    const b1 = byId('b1:80');
    const ejectFor = () => {
      fail(pool, 'b1:80', 3);
      const start = clock.now();
      while (b1.ejected) clock.advance(1);
      return clock.now() - start;
    };
    expect([ejectFor(), ejectFor(), ejectFor()]).toEqual([1000, 2000, 4000]);
    clock.advance(2000); // two levels forgiven: next is 2^(3-2) * base
    expect(ejectFor()).toBe(2000);
    clock.advance(60_000);
    expect(ejectFor()).toBe(1000);
    await pool.close();
  });

  it('ignores failures reported while ejected, and does nothing when disabled', async () => {
    const { pool, clock, byId } = await manualPool(addresses(2), { outlierDetection });
    fail(pool, 'b1:80', 3);
    fail(pool, 'b1:80', 30);
    clock.advance(1000);
    expect(byId('b1:80').ejected).toBe(false);
    expect(byId('b1:80').counters.connectFailures).toBe(33);
    expect(byId('b1:80').counters.ejections).toBe(1);
    await pool.close();

    const off = await manualPool(addresses(2), { outlierDetection: false });
    fail(off.pool, 'b1:80', 100);
    expect(off.byId('b1:80').ejected).toBe(false);
    await off.pool.close();
  });
});
