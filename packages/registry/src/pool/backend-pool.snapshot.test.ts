import { describe, expect, it } from 'vitest';
import { addresses, fail, ids, manualPool } from '../../test/pool-fixture.js';
import { InvalidBackendError, UnknownBackendError } from '../shared/errors.js';

describe('BackendPool snapshots', () => {
  it('returns the same frozen array until something changes', async () => {
    const { pool, counts, source } = await manualPool(addresses(3));
    const first = pool.eligible();
    expect(Object.isFrozen(first)).toBe(true);
    expect(pool.eligible()).toBe(first);
    const changes = counts.change;

    // In-flight counts are read live by algorithms: no new snapshot for them.
    const b1 = pool.get('b1:80')!;
    pool.acquire(b1);
    pool.release(b1, { outcome: 'success', latencyMs: 5 });
    // Nothing that matters changed: same list from the source, same drain state, same weight.
    source.replace(addresses(3));
    pool.setDrained('b1:80', false);
    pool.setWeight('b1:80', 1);
    fail(pool, 'b2:80', 2);
    expect(pool.eligible()).toBe(first);
    expect(counts.change).toBe(changes);
  });

  it('publishes a new array, and dispatches change, when membership, health or weight changes', async () => {
    const { pool, counts, source, clock } = await manualPool(addresses(3), { slowStartMs: 0 });
    const seen = [pool.eligible()];
    const step = (action: () => void) => {
      const before = counts.change;
      action();
      expect(counts.change).toBe(before + 1);
      expect(seen).not.toContain(pool.eligible());
      seen.push(pool.eligible());
    };
    step(() => pool.setDrained('b1:80', true));
    expect(pool.eligible()[0]).toMatchObject({ id: 'b1:80', weight: 0, drained: true, configuredWeight: 1 });
    step(() => pool.setDrained('b1:80', false));
    step(() => pool.setWeight('b2:80', 7));
    expect(pool.get('b2:80')!.weight).toBe(7);
    step(() => fail(pool, 'b3:80', 3));
    step(() => clock.advance(5000));
    step(() => source.replace(addresses(2)));
    expect(ids(pool.eligible())).toEqual(['b1:80', 'b2:80']);
    await pool.close();
  });

  it('keeps the state of backends that survive a source change', async () => {
    const { pool, source } = await manualPool(addresses(3), { slowStartMs: 0 });
    const [b1, b2] = [pool.get('b1:80')!, pool.get('b2:80')!];
    pool.acquire(b1);
    pool.acquire(b2);
    pool.setDrained('b1:80', true);
    fail(pool, 'b2:80', 3);
    expect(b2.ejected).toBe(true);

    source.replace([{ ...addresses(2)[1]!, weight: 4 }, addresses(1)[0]!, { id: 'b9:80', host: 'b9', port: 80, weight: 2 }]);
    expect(ids(pool.all())).toEqual(['b2:80', 'b1:80', 'b9:80']);
    expect(pool.get('b1:80')).toBe(b1);
    expect(pool.get('b2:80')).toBe(b2);
    expect(b1).toMatchObject({ inFlight: 1, drained: true, weight: 0 });
    expect(b2).toMatchObject({ inFlight: 1, ejected: true, configuredWeight: 4 });
    expect(pool.get('b3:80')).toBeUndefined();
    expect(ids(pool.eligible())).toEqual(['b1:80', 'b9:80']);
    await pool.close();
  });

  it('drops removed backends from the snapshot at once, while their requests still complete', async () => {
    const { pool, source } = await manualPool(addresses(2));
    const b2 = pool.get('b2:80')!;
    pool.acquire(b2);
    source.replace(addresses(1));
    expect(ids(pool.eligible())).toEqual(['b1:80']);
    expect(ids(pool.all())).toEqual(['b1:80']);
    pool.release(b2, { outcome: 'connect_failure' });
    expect(b2.inFlight).toBe(0);
    expect(b2.counters.connectFailures).toBe(1);
    expect(() => pool.setDrained('b2:80', true)).toThrow(UnknownBackendError);
    await pool.close();
  });

  it('lets setWeight override the source until the source reports a different weight', async () => {
    const { pool, source } = await manualPool(addresses(1, 2));
    pool.setWeight('b1:80', 9);
    source.replace([{ ...addresses(1)[0]!, weight: 2, pool: 'blue' }]);
    expect(pool.get('b1:80')).toMatchObject({ configuredWeight: 9, pool: 'blue' });
    source.replace(addresses(1, 3));
    expect(pool.get('b1:80')).toMatchObject({ configuredWeight: 3, pool: undefined });
    expect(() => pool.setWeight('b1:80', 1001)).toThrowError(new InvalidBackendError('b1:80', 'weight', 1001, 'an integer from 0 to 1000 (0 = drained)'));
    expect(() => pool.setWeight('nope:1', 1)).toThrowError(/no backend "nope:1" in this pool; known ids: b1:80/);
    await pool.close();
  });
});

describe('BackendPool request accounting', () => {
  it('tracks in-flight, counters and a latency EWMA of responses only', async () => {
    const { pool } = await manualPool(addresses(1), { latencyEwmaAlpha: 0.5 });
    const b1 = pool.get('b1:80')!;
    pool.acquire(b1);
    pool.acquire(b1);
    expect(b1.inFlight).toBe(2);
    pool.release(b1, { latencyMs: 100, outcome: 'success' });
    pool.release(b1, { latencyMs: 200, outcome: 'http_5xx' });
    expect(b1.latencyEwmaMs).toBe(150);
    pool.acquire(b1);
    pool.release(b1, { latencyMs: 1, outcome: 'connect_failure' });
    pool.release(b1, { latencyMs: Number.NaN, outcome: 'success' });
    pool.release(b1);
    expect(b1.latencyEwmaMs).toBe(150);
    expect(b1.inFlight).toBe(0);
    expect(b1.toJSON()).toEqual({
      id: 'b1:80',
      host: 'b1',
      port: 80,
      pool: null,
      healthPath: '/health',
      configuredWeight: 1,
      weight: 1,
      inFlight: 0,
      healthy: true,
      drained: false,
      failingChecks: false,
      ejected: false,
      rampingUp: false,
      latencyEwmaMs: 150,
      lastCheck: null,
      load: null,
      counters: { requests: 3, successes: 2, http5xx: 1, connectFailures: 1, timeouts: 0, ejections: 0, checksPassed: 0, checksFailed: 0 },
    });
    expect(() => pool.acquire({ id: 'b1:80', weight: 1 } as never)).toThrow(TypeError);
    expect(() => pool.reportResult(b1, { outcome: 'teapot' as never })).toThrow(/outcome must be one of/);
    await pool.close();
  });
});
