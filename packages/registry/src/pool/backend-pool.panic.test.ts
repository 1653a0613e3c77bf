import { describe, expect, it } from 'vitest';
import { addresses, fail, ids, manualPool } from '../../test/pool-fixture.js';

describe('BackendPool panic mode', () => {
  it('offers every backend once fewer than panicThreshold are healthy', async () => {
    const { pool } = await manualPool(addresses(4), { slowStartMs: 0 });
    fail(pool, 'b1:80', 3);
    expect(ids(pool.eligible())).toEqual(['b2:80', 'b3:80', 'b4:80']);
    fail(pool, 'b2:80', 3);
    expect(pool.panic).toBe(false); // 2 of 4 is not below 0.5
    expect(ids(pool.eligible())).toEqual(['b3:80', 'b4:80']);
    fail(pool, 'b3:80', 3);
    expect(pool.panic).toBe(true);
    expect(ids(pool.eligible())).toEqual(['b1:80', 'b2:80', 'b3:80', 'b4:80']);
    expect(pool.eligible().map((b) => b.healthy)).toEqual([false, false, false, true]);
    await pool.close();
  });

  it('leaves panic when backends recover', async () => {
    const { pool, clock } = await manualPool(addresses(2), { slowStartMs: 0 });
    fail(pool, 'b1:80', 3);
    fail(pool, 'b2:80', 3);
    expect(pool.panic).toBe(true);
    expect(ids(pool.eligible())).toEqual(['b1:80', 'b2:80']);
    clock.advance(5000);
    expect(pool.panic).toBe(false);
    await pool.close();
  });

  it('does not count drained backends, and can be disabled', async () => {
    const { pool } = await manualPool(addresses(3), { slowStartMs: 0 });
    pool.setDrained('b1:80', true);
    pool.setDrained('b2:80', true);
    expect(pool.panic).toBe(false);
    await pool.close();

    const off = await manualPool(addresses(2), { panicThreshold: 0 });
    fail(off.pool, 'b1:80', 3);
    fail(off.pool, 'b2:80', 3);
    expect(off.pool.panic).toBe(false);
    expect(off.pool.eligible()).toEqual([]);
    await off.pool.close();
  });
});
