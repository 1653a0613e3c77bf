import { describe, expect, it } from 'vitest';
import { servers, weighted } from '../test/fixtures.js';
import { Adaptive, decideAdaptive } from './adaptive.js';

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
    expect(decideAdaptive(list, { highLoad: 20, imbalance: 2 })).toBe('round_robin');
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
