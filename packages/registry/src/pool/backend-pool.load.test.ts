import { createAlgorithm } from '@lbpoc/algorithms';
import { describe, expect, it } from 'vitest';
import { addresses, manualPool } from '../../test/pool-fixture.js';
import { parseLoadReport } from '../load-reports/orca-text.js';

describe('BackendPool load reports', () => {
  it("keeps each backend's latest report, stamped with the pool clock, and shows it with its age", async () => {
    const { pool, clock, byId } = await manualPool(addresses(2));
    expect(byId('b1:80').load).toBeUndefined();
    expect(byId('b1:80').toJSON().load).toBeNull();

    pool.reportLoad('b1:80', parseLoadReport('TEXT application_utilization=0.5, cpu_utilization=0.9, rps_fractional=40, named_metrics.rif=3')!);
    const stamped = clock.now();
    expect(byId('b1:80').load).toEqual({ inFlight: 3, utilization: 0.5, qps: 40, receivedAt: stamped });
    clock.advance(250);
    expect(byId('b1:80').toJSON().load).toEqual({ inFlight: 3, utilization: 0.5, qps: 40, eps: null, latencyMs: null, ageMs: 250 });

    // A newer report replaces the object (algorithms tell reports apart by identity and time).
    const first = byId('b1:80').load;
    pool.reportLoad('b1:80', { cpuUtilization: 0.2 });
    expect(byId('b1:80').load).not.toBe(first);
    expect(byId('b1:80').load).toMatchObject({ inFlight: Number.NaN, utilization: 0.2 });
    expect(byId('b1:80').toJSON().load?.inFlight).toBeNull();
    expect(byId('b2:80').load).toBeUndefined();
  });

  it('ignores a report for a backend that left (reports race removals)', async () => {
    const { pool, source } = await manualPool(addresses(2));
    source.replace(addresses(1));
    expect(() => pool.reportLoad('b2:80', { inFlight: 1 })).not.toThrow();
    expect(pool.get('b2:80')).toBeUndefined();
  });

  it('hands the reports to the load-aware algorithms through eligible(): prequal avoids the backend that says it is busy', async () => {
    const { pool, clock } = await manualPool(addresses(3));
    const prequal = createAlgorithm('prequal', { now: () => clock.now(), seed: 7 });
    pool.reportLoad('b1:80', { inFlight: 30, latencyMs: 200 });
    pool.reportLoad('b2:80', { inFlight: 1, latencyMs: 10 });
    pool.reportLoad('b3:80', { inFlight: 2, latencyMs: 12 });
    const picks = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const backend = prequal.pick(pool.eligible())!;
      picks.set(backend.id, (picks.get(backend.id) ?? 0) + 1);
    }
    expect(picks.get('b1:80') ?? 0).toBe(0);
  });
});
