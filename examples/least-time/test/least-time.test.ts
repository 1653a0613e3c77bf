import { checkAlgorithmPlugin, type Server } from '@lbpoc/algorithms';
import { describe, expect, it } from 'vitest';
import * as module from '../least-time.ts';

const plugin = checkAlgorithmPlugin(module, './least-time.ts');

/** A clock the test moves by hand. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 0;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('least_time', () => {
  it('passes the checks every loader applies, under its wire name', () => {
    expect(plugin.name).toBe('least_time');
    expect(plugin.gauges).toEqual(['tracked_servers', 'fastest_ms', 'slowest_ms']);
  });

  it('tries every unmeasured server first, then prefers the faster one', () => {
    const clock = manualClock();
    const algorithm = plugin.create({ now: clock.now });
    const servers: Server[] = [{ id: 'fast' }, { id: 'slow' }];
    expect(new Set([algorithm.pick(servers)?.id, algorithm.pick(servers)?.id])).toEqual(new Set(['fast', 'slow']));
    algorithm.observe('fast', 5);
    algorithm.observe('slow', 50);
    const picks = Array.from({ length: 20 }, () => algorithm.pick(servers)?.id);
    expect(picks.every((id) => id === 'fast')).toBe(true);
  });

  it('weighs latency by the requests already in flight and by weight, and never picks a drained server', () => {
    const algorithm = plugin.create({ now: () => 0 });
    algorithm.observe('a', 10);
    algorithm.observe('b', 30);
    // a: 10 x (5 + 1) = 60 against b: 30 x 1 = 30.
    expect(algorithm.pick([{ id: 'a', inFlight: 5 }, { id: 'b' }])?.id).toBe('b');
    // b with weight 4: 30 / 4 = 7.5 against a's 10.
    expect(algorithm.pick([{ id: 'a' }, { id: 'b', weight: 4 }])?.id).toBe('b');
    expect(algorithm.pick([{ id: 'a', weight: 0 }, { id: 'b' }])?.id).toBe('b');
    expect(algorithm.pick([{ id: 'a', weight: 0 }])).toBeUndefined();
  });

  it('gives a server that was slow once another chance as its estimate fades', () => {
    const clock = manualClock();
    const algorithm = plugin.create({ now: clock.now });
    algorithm.observe('a', 10);
    algorithm.observe('b', 40);
    expect(algorithm.pick([{ id: 'a' }, { id: 'b' }])?.id).toBe('a');
    clock.advance(20_000);
    algorithm.observe('a', 10); // a is fresh at 10 ms; b, unheard of for 20 s, has faded to 40 x e^-2 = 5.4
    expect(algorithm.pick([{ id: 'a' }, { id: 'b' }])?.id).toBe('b');
  });

  it('reports its gauges: servers tracked, fastest and slowest estimate', () => {
    const algorithm = plugin.create({ now: () => 0 });
    expect(algorithm.gauges?.()).toEqual({ tracked_servers: 0, fastest_ms: 0, slowest_ms: 0 });
    algorithm.observe('a', 10);
    algorithm.observe('b', 40);
    expect(algorithm.gauges?.()).toEqual({ tracked_servers: 2, fastest_ms: 10, slowest_ms: 40 });
  });
});
