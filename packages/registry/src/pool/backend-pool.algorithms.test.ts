import { createAlgorithm, type Server } from '@lbpoc/algorithms';
import { describe, expect, it } from 'vitest';
import { addresses, fail, manualPool } from '../../test/pool-fixture.js';
import type { Backend } from './backend.js';

describe('BackendPool with @lbpoc/algorithms', () => {
  it('hands algorithms a snapshot they accept as Server[] and pick from directly', async () => {
    const { pool, source, clock } = await manualPool(addresses(2, 3), { slowStartMs: 1000 });
    const servers: readonly Server[] = pool.eligible(); // compile-time: Backend has the Server shape
    expect(servers).toHaveLength(2);

    const wrr = createAlgorithm('weighted_round_robin');
    const pickIds = (n: number) => Array.from({ length: n }, () => wrr.pick(pool.eligible())!.id);
    pool.setWeight('b2:80', 1);
    expect(pickIds(8).filter((id) => id === 'b1:80')).toHaveLength(6);

    // A drained or ejected backend is never picked; a slow-starting one gets its ramped share.
    pool.setDrained('b1:80', true);
    expect(new Set(pickIds(10))).toEqual(new Set(['b2:80']));
    pool.setDrained('b1:80', false);
    source.replace([...addresses(2, 3), { id: 'b3:80', host: 'b3', port: 80, weight: 10 }]);
    fail(pool, 'b2:80', 3);
    const picked: Backend | undefined = createAlgorithm('round_robin').pick(pool.eligible());
    expect(picked?.id).toBe('b1:80');
    expect(pool.get('b3:80')!.weight).toBe(1);
    expect(pickIds(40).filter((id) => id === 'b3:80')).toHaveLength(10);
    clock.advance(1000);
    expect(pickIds(130).filter((id) => id === 'b3:80')).toHaveLength(100);
    await pool.close();
  });
});
