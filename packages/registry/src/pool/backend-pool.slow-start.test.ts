import { describe, expect, it } from 'vitest';
import { addresses, fail, manualPool } from '../../test/pool-fixture.js';

describe('BackendPool slow start', () => {
  it('does not ramp the backends present at start (they would all ramp together)', async () => {
    const { pool, clock } = await manualPool(addresses(2, 10));
    expect(pool.eligible().map((b) => [b.weight, b.rampingUp])).toEqual([
      [10, false],
      [10, false],
    ]);
    expect(clock.pending).toBe(0);
    await pool.close();
  });

  it('ramps a new backend from 10% to 100% of its weight, publishing a snapshot each tenth', async () => {
    const { pool, clock, source, counts } = await manualPool(addresses(2, 10), { slowStartMs: 10_000 });
    source.replace(addresses(3, 10));
    const b3 = pool.get('b3:80')!;
    const weights = [b3.weight];
    const snapshots = new Set([pool.eligible()]);
    const changesBefore = counts.change;
    for (let i = 0; i < 10; i++) {
      clock.advance(1000);
      weights.push(b3.weight);
      snapshots.add(pool.eligible());
    }
    expect(weights).toEqual([1, 1.9, 2.8, 3.7, 4.6, 5.5, 6.4, 7.3, 8.2, 9.1, 10]);
    expect(snapshots.size).toBe(11);
    expect(counts.change - changesBefore).toBe(10);
    expect(b3.rampingUp).toBe(false);
    expect(clock.pending).toBe(0); // the ramp timer stops when nothing ramps
    expect(pool.get('b1:80')!.weight).toBe(10);
    await pool.close();
  });

  it('ramps a backend readmitted after an ejection', async () => {
    const { pool, clock } = await manualPool(addresses(3, 10), { slowStartMs: 2000, outlierDetection: { baseEjectionMs: 1000 } });
    fail(pool, 'b1:80', 3);
    clock.advance(1000);
    const b1 = pool.get('b1:80')!;
    expect([b1.healthy, b1.rampingUp, b1.weight]).toEqual([true, true, 1]);
    clock.advance(1000);
    expect(b1.weight).toBe(5.5);
    clock.advance(1000);
    expect([b1.rampingUp, b1.weight]).toEqual([false, 10]);
    await pool.close();
  });

  it('is off with slowStartMs 0', async () => {
    const { pool, source } = await manualPool(addresses(1, 10), { slowStartMs: 0 });
    source.replace(addresses(2, 10));
    expect(pool.get('b2:80')!.weight).toBe(10);
    await pool.close();
  });
});
