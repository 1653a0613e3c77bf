import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { servers as fixtureServers, serverListArb, type TestServer, weighted } from '../test/fixtures.js';
import { Adaptive, DEFAULT_ADAPTIVE_THRESHOLDS, decideAdaptive } from './adaptive.js';
import { createRandom } from './random-source.js';
import type { LoadReport } from './types.js';

const servers = fixtureServers;

describe('adaptive (the seed decision tree)', () => {
  it('balanced equal servers -> round robin', () => {
    expect(decideAdaptive(servers(3))).toBe('round_robin');
  });

  it('unequal capacity -> weighted round robin', () => {
    expect(decideAdaptive(weighted(5, 1, 1))).toBe('weighted_round_robin');
  });

  it('one server falling behind -> least connections', () => {
    const list = servers(3);
    list[2]!.inFlight = 2;
    expect(decideAdaptive(list)).toBe('least_connections');
  });

  it('high load everywhere -> least connections; thresholds can be overridden', () => {
    const list = servers(3);
    for (const server of list) server.inFlight = 8;
    expect(decideAdaptive(list)).toBe('least_connections');
    expect(decideAdaptive(list, { ...DEFAULT_ADAPTIVE_THRESHOLDS, highLoad: 20 })).toBe('round_robin');
  });

  it('ignores drained servers when deciding', () => {
    const list = weighted(2, 2, 0);
    expect(decideAdaptive(list)).toBe('round_robin');
  });

  it('reports the algorithm it delegated to and routes away from the loaded server', () => {
    const adaptive = new Adaptive();
    const list = servers(3);
    expect(adaptive.pick(list)?.id).toBe('s0');
    expect(adaptive.lastUsed).toBe('round_robin');
    list[0]!.inFlight = 5;
    expect(adaptive.pick(list)?.id).not.toBe('s0');
    expect(adaptive.lastUsed).toBe('least_connections');
  });
});

/** A test server whose load report the test sets, as the balancer would. */
interface Reporting extends TestServer {
  load?: LoadReport | undefined;
}

describe('adaptive (load-aware rules)', () => {
  const servers = (count: number): Reporting[] => fixtureServers(count);
  let time = 0;
  const now = () => time;
  const fresh = (inFlight: number) => ({ inFlight, receivedAt: time });

  function feed(adaptive: Adaptive, id: string, latency: number, samples: number): void {
    for (let i = 0; i < samples; i++) adaptive.observe(id, latency);
  }

  it('fresh reports from at least half of the eligible servers -> prequal, rule reports', () => {
    time = 5_000;
    const adaptive = new Adaptive(DEFAULT_ADAPTIVE_THRESHOLDS, now, createRandom(1));
    const list = servers(4);
    list[0]!.load = fresh(9);
    adaptive.pick(list);
    expect([adaptive.lastUsed, adaptive.lastRule]).toEqual(['round_robin', 'equal_weights']); // 1 of 4 reports
    list[1]!.load = fresh(0);
    expect(adaptive.pick(list)?.id).not.toBe('s0'); // prequal: s0 reports 9 in flight, it is hot
    expect([adaptive.lastUsed, adaptive.lastRule]).toEqual(['prequal', 'reports']);
  });

  it('stale reports (older than reportMaxAge) and drained servers do not count', () => {
    time = 0;
    const adaptive = new Adaptive(DEFAULT_ADAPTIVE_THRESHOLDS, now, createRandom(1));
    const list: Reporting[] = [...servers(2), { id: 'd0', weight: 0, inFlight: 0 }, { id: 'd1', weight: 0, inFlight: 0 }];
    for (const server of list) server.load = fresh(0);
    time = 1_001;
    adaptive.pick(list);
    expect(adaptive.lastRule).toBe('equal_weights');
    list[0]!.load = fresh(0);
    list[1]!.load = { inFlight: Number.NaN, receivedAt: time }; // does not report in flight: not a usable report
    adaptive.pick(list);
    expect(adaptive.lastRule).toBe('reports'); // 1 of 2 eligible, the drained ones aside
    const strict = new Adaptive({ ...DEFAULT_ADAPTIVE_THRESHOLDS, reportCoverage: 1 }, now, createRandom(1));
    strict.pick(list);
    expect(strict.lastRule).toBe('equal_weights');
  });

  it('a latency spread of 2x or more over enough samples -> prequal, which then avoids the slow server', () => {
    time = 0;
    const adaptive = new Adaptive(DEFAULT_ADAPTIVE_THRESHOLDS, now, createRandom(1));
    const list = servers(3);
    feed(adaptive, 's0', 10, 16);
    feed(adaptive, 's1', 12, 16);
    feed(adaptive, 's2', 40, 15);
    adaptive.pick(list);
    expect(adaptive.lastRule).toBe('equal_weights'); // s2 has 15 samples: not enough yet
    feed(adaptive, 's2', 40, 1);
    const picks = Array.from({ length: 30 }, () => {
      const pick = adaptive.pick(list)!;
      pick.inFlight++;
      return pick.id;
    });
    expect([adaptive.lastUsed, adaptive.lastRule]).toEqual(['prequal', 'latency_spread']);
    expect(picks.filter((id) => id === 's2').length).toBeLessThan(picks.filter((id) => id === 's0').length);
  });

  it('a spread under the threshold leaves the seed tree in charge; the threshold can be overridden', () => {
    time = 0;
    const make = (latencySpread: number) => {
      const adaptive = new Adaptive({ ...DEFAULT_ADAPTIVE_THRESHOLDS, latencySpread }, now, createRandom(1));
      feed(adaptive, 's0', 10, 16);
      feed(adaptive, 's1', 19, 16);
      adaptive.pick(servers(2));
      return adaptive.lastRule;
    };
    expect(make(2)).toBe('equal_weights');
    expect(make(1.8)).toBe('latency_spread');
  });

  it('reports come before the spread, the spread before the seed tree', () => {
    time = 0;
    const adaptive = new Adaptive(DEFAULT_ADAPTIVE_THRESHOLDS, now, createRandom(1));
    const list = servers(2);
    list[0]!.inFlight = 9; // the seed tree alone would say high_load
    feed(adaptive, 's0', 10, 16);
    feed(adaptive, 's1', 50, 16);
    adaptive.pick(list);
    expect(adaptive.lastRule).toBe('latency_spread');
    list[0]!.load = fresh(9);
    adaptive.pick(list);
    expect(adaptive.lastRule).toBe('reports');
  });

  it('without a clock only the seed tree decides, whatever the reports and latencies', () => {
    time = 0;
    const adaptive = new Adaptive();
    const list = servers(2);
    for (const server of list) server.load = fresh(0);
    feed(adaptive, 's0', 1, 32);
    feed(adaptive, 's1', 100, 32);
    for (let i = 0; i < 10; i++) adaptive.pick(list);
    expect(adaptive.lastUsed).toBe('round_robin');
    expect(adaptive.explain(list)).toMatchObject({ rule: 'equal_weights', clock: false, reported: 0, latencySpread: 100 });
  });

  it('explains its decision with the signals, without changing its state', () => {
    time = 100;
    const adaptive = new Adaptive(DEFAULT_ADAPTIVE_THRESHOLDS, now, createRandom(1));
    const list = [...servers(3), { id: 'd', weight: 0, inFlight: 0 }];
    feed(adaptive, 's0', 10, 20);
    feed(adaptive, 's1', 30, 16);
    feed(adaptive, 's2', 99, 3); // too few samples to count
    feed(adaptive, 'd', 1, 50); // drained: not eligible
    list[2]!.load = fresh(1);
    expect(adaptive.explain(list)).toEqual({
      choice: 'prequal',
      rule: 'latency_spread',
      eligible: 3,
      reported: 1,
      slowest: { id: 's1', latency: 30, samples: 16 },
      fastest: { id: 's0', latency: 10, samples: 20 },
      latencySpread: 3,
      clock: true,
    });
    expect([adaptive.lastUsed, adaptive.lastRule]).toEqual(['round_robin', 'no_backend']);
    expect(adaptive.explain([list[0]!]).latencySpread).toBeUndefined();
  });

  it('keeps a moving average over latencyWindow samples, ignoring broken samples', () => {
    time = 0;
    const adaptive = new Adaptive({ ...DEFAULT_ADAPTIVE_THRESHOLDS, latencyWindow: 4, latencyMinSamples: 1 }, now, createRandom(1));
    feed(adaptive, 's0', 10, 4);
    feed(adaptive, 's1', 10, 4);
    adaptive.observe('s1', Number.NaN);
    adaptive.observe('s1', -1);
    adaptive.observe('s1', 50); // 10 + (50 - 10) / 4
    expect(adaptive.explain(servers(2))).toMatchObject({ slowest: { id: 's1', latency: 20, samples: 5 }, latencySpread: 2 });
  });

  it('decideAdaptive (the seed tree) never answers prequal', () => {
    fc.assert(
      fc.property(serverListArb, (list) => {
        expect(['round_robin', 'weighted_round_robin', 'least_connections']).toContain(decideAdaptive(list));
      }),
    );
  });
});
