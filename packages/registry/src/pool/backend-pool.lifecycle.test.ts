import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/manual-clock.js';
import { addresses, fail, manualPool } from '../../test/pool-fixture.js';
import type { BackendAddress } from '../shared/backend-address.js';
import { InvalidPoolOptionError, PoolClosedError } from '../shared/errors.js';
import { StaticSource } from '../sources/static/static-source.js';
import { BackendPool } from './backend-pool.js';

describe('BackendPool lifecycle', () => {
  it('is empty before start, and start is idempotent', async () => {
    const pool = new BackendPool(new StaticSource(addresses(2)), { healthCheck: false });
    expect(pool.eligible()).toEqual([]);
    const first = pool.start();
    expect(pool.start()).toBe(first);
    await first;
    expect(pool.eligible()).toHaveLength(2);
    await pool.close();
  });

  it('validates options in the constructor', () => {
    expect(() => new BackendPool(new StaticSource([]), { healthCheck: { fall: 0 } })).toThrow(InvalidPoolOptionError);
  });

  it('close cancels every timer, is idempotent, and the pool cannot restart', async () => {
    const { pool, clock, source } = await manualPool(addresses(3));
    fail(pool, 'b1:80', 3); // ejection timer
    source.replace(addresses(4)); // slow-start timer
    expect(clock.pending).toBe(2);
    const closing = pool.close();
    expect(pool.close()).toBe(closing);
    await closing;
    expect(clock.pending).toBe(0);
    await expect(pool.start()).rejects.toBeInstanceOf(PoolClosedError);
    source.replace(addresses(1)); // no longer listened to
    expect(pool.all()).toHaveLength(4);
  });

  it('closes itself, and its source, when the start signal aborts', async () => {
    const source = new StaticSource(addresses(1));
    let closed = 0;
    source.close = async () => void closed++;
    const controller = new AbortController();
    const pool = new BackendPool(source, { healthCheck: false, clock: new ManualClock() });
    await pool.start(controller.signal);
    controller.abort();
    await pool.close();
    expect(closed).toBe(1);
    await expect(pool.start()).rejects.toBeInstanceOf(PoolClosedError);
  });

  it('rejects start with the source error and can be started again', async () => {
    class FlakySource extends StaticSource {
      attempts = 0;
      override async start(): Promise<void> {
        this.attempts += 1;
        if (this.attempts === 1) throw new Error('daemon unreachable');
      }
    }
    const source = new FlakySource(addresses(1));
    const pool = new BackendPool(source, { healthCheck: false });
    await expect(pool.start()).rejects.toThrow('daemon unreachable');
    await pool.start();
    expect(pool.eligible()).toHaveLength(1);
    await pool.close();
  });

  it('does not start at all when the signal is already aborted', async () => {
    const pool = new BackendPool(new StaticSource(addresses(1)), { healthCheck: false });
    await expect(pool.start(AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('takes source changes made while it starts', async () => {
    const list: BackendAddress[] = addresses(1);
    class SlowSource extends StaticSource {
      override async start(): Promise<void> {
        await new Promise((resolve) => setTimeout(resolve, 5));
        this.replace(addresses(2));
      }
    }
    const pool = new BackendPool(new SlowSource(list), { healthCheck: false });
    await pool.start();
    expect(pool.all()).toHaveLength(2);
    await pool.close();
  });
});
