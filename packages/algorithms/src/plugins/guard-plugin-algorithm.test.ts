import { describe, expect, it } from 'vitest';
import { LeastConnections } from '../least-connections.js';
import type { Server } from '../types.js';
import type { PluginAlgorithm } from './algorithm-plugin.js';
import { guardPluginAlgorithm, type PluginFault } from './guard-plugin-algorithm.js';

const servers: Server[] = [
  { id: 'a', inFlight: 3 },
  { id: 'b', inFlight: 0 },
  { id: 'c', inFlight: 5 },
];

/** A plugin whose pick does what `behave` says, and whose observe throws when told to. */
function plugin(behave: (servers: readonly Server[]) => Server | undefined, observeThrows = false): PluginAlgorithm {
  return {
    name: 'odd',
    lastUsed: 'odd',
    // A plugin may answer anything at run time; the cast lets the test make it do so.
    pick: behave as PluginAlgorithm['pick'],
    observe() {
      if (observeThrows) throw new Error('observe broke');
    },
    gauges: () => ({ picks: 7 }),
  };
}

function guard(inner: PluginAlgorithm) {
  const faults: PluginFault[] = [];
  const guarded = guardPluginAlgorithm(inner, { fallback: new LeastConnections(), onFault: (fault) => faults.push(fault) });
  return { guarded, faults };
}

describe('guardPluginAlgorithm', () => {
  it("passes a good pick through untouched, with the plugin's name, lastUsed and gauges", () => {
    const { guarded, faults } = guard(plugin((list) => list[2]));
    expect(guarded.pick(servers, '10.0.0.1')).toBe(servers[2]);
    expect([guarded.name, guarded.lastUsed, guarded.gauges?.()]).toEqual(['odd', 'odd', { picks: 7 }]);
    expect(faults).toEqual([]);
  });

  it('serves a pick that threw by the fallback (least connections: b) and reports the error', () => {
    const error = new Error('boom');
    const { guarded, faults } = guard(
      plugin(() => {
        throw error;
      }),
    );
    expect(guarded.pick(servers, undefined)).toBe(servers[1]);
    expect(faults).toEqual([{ algorithm: 'odd', kind: 'pick_threw', error }]);
  });

  it('replaces an answer that is not one of the servers given, even one with the same id', () => {
    const { guarded, faults } = guard(plugin(() => ({ id: 'a' })));
    expect(guarded.pick(servers, undefined)).toBe(servers[1]);
    expect(faults).toEqual([{ algorithm: 'odd', kind: 'foreign_pick' }]);
  });

  it('replaces no answer while a server has weight, and accepts it when none has', () => {
    const { guarded, faults } = guard(plugin(() => undefined));
    expect(guarded.pick(servers, undefined)).toBe(servers[1]);
    expect(guarded.pick([{ id: 'x', weight: 0 }], undefined)).toBeUndefined();
    expect(guarded.pick([], undefined)).toBeUndefined();
    expect(faults).toEqual([{ algorithm: 'odd', kind: 'no_pick' }]);
  });

  it('skips an observe that throws, reporting it', () => {
    const { guarded, faults } = guard(plugin((list) => list[0], true));
    expect(() => guarded.observe('a', 12)).not.toThrow();
    expect(faults).toMatchObject([{ algorithm: 'odd', kind: 'observe_threw', error: { message: 'observe broke' } }]);
  });
});
