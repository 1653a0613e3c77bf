import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { servers } from '../test/fixtures.js';
import { RoundRobin } from './round-robin.js';

describe('round_robin', () => {
  it('visits servers in order and wraps', () => {
    const list = servers(3);
    const rr = new RoundRobin();
    expect(Array.from({ length: 7 }, () => rr.pick(list)?.id)).toEqual(['s0', 's1', 's2', 's0', 's1', 's2', 's0']);
  });

  it('stays within one pick of fair over any window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.nat(50), fc.integer({ min: 1, max: 200 }), (n, skip, window) => {
        const list = servers(n);
        const rr = new RoundRobin();
        for (let i = 0; i < skip; i++) rr.pick(list);
        const tally = new Map<string, number>();
        for (let i = 0; i < window; i++) {
          const id = rr.pick(list)!.id;
          tally.set(id, (tally.get(id) ?? 0) + 1);
        }
        const fair = window / n;
        for (const server of list) expect(Math.abs((tally.get(server.id) ?? 0) - fair)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('skips drained servers and returns undefined when none is eligible', () => {
    const list = servers(3);
    list[1]!.weight = 0;
    const rr = new RoundRobin();
    expect(Array.from({ length: 4 }, () => rr.pick(list)?.id)).toEqual(['s0', 's2', 's0', 's2']);
    expect(rr.pick(servers(2, 0))).toBeUndefined();
    expect(rr.pick([])).toBeUndefined();
  });

  it('keeps going when the list shrinks under its cursor', () => {
    const rr = new RoundRobin();
    const five = servers(5);
    for (let i = 0; i < 4; i++) rr.pick(five);
    const two = five.slice(0, 2);
    expect(two).toContain(rr.pick(two));
  });
});
