import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serverListArb, servers, weighted } from '../test/fixtures.js';
import { LeastConnections } from './least-connections.js';

describe('least_connections', () => {
  it('always picks a server with the minimum in-flight per unit of weight', () => {
    fc.assert(
      fc.property(serverListArb, fc.nat(30), (list, rounds) => {
        const lc = new LeastConnections();
        for (let i = 0; i <= rounds; i++) {
          const picked = lc.pick(list);
          const eligible = list.filter((s) => s.weight > 0);
          if (eligible.length === 0) {
            expect(picked).toBeUndefined();
            return;
          }
          const minimum = Math.min(...eligible.map((s) => s.inFlight / s.weight));
          expect(picked!.inFlight / picked!.weight).toBeCloseTo(minimum, 12);
          picked!.inFlight++;
        }
      }),
    );
  });

  it('rotates between tied servers instead of always taking the first', () => {
    const list = servers(3);
    const lc = new LeastConnections();
    expect(Array.from({ length: 6 }, () => lc.pick(list)?.id)).toEqual(['s0', 's1', 's2', 's0', 's1', 's2']);
  });

  it('weighs capacity: 4 in flight on weight 4 beats 2 in flight on weight 1', () => {
    const list = weighted(4, 1);
    list[0]!.inFlight = 4;
    list[1]!.inFlight = 2;
    expect(new LeastConnections().pick(list)?.id).toBe('a');
  });
});
