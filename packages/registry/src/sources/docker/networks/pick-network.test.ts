import { describe, expect, it } from 'vitest';
import { type NetworkPreference, pickNetwork } from './pick-network.js';

const none: NetworkPreference = { label: undefined, defaultNetwork: undefined, project: undefined, selfNetworks: [] };
const front = { name: 'front', address: '172.20.0.5' };
const back = { name: 'back', address: '172.21.0.5' };
const composeBack = { name: 'shop_back', address: '172.22.0.5' };

describe('pickNetwork', () => {
  it('takes the only network', () => {
    expect(pickNetwork([front], none)).toEqual({ name: 'front', address: '172.20.0.5' });
  });

  it('takes the labelled network, also under its Compose project prefix', () => {
    expect(pickNetwork([front, back], { ...none, label: 'back' })).toEqual(back);
    expect(pickNetwork([front, composeBack], { ...none, label: 'back', project: 'shop' })).toEqual(composeBack);
  });

  it('never falls back to another network when the labelled one is missing', () => {
    const choice = pickNetwork([front], { ...none, label: 'back' });
    expect(choice).toEqual({ problem: 'not attached to network "back" that its lbpoc.network label names (attached to networks front)' });
  });

  it('prefers the default network when attached to it, else goes on', () => {
    expect(pickNetwork([front, back], { ...none, defaultNetwork: 'back' })).toEqual(back);
    expect(pickNetwork([front], { ...none, defaultNetwork: 'back' })).toEqual(front);
  });

  it('takes the network shared with the balancer', () => {
    expect(pickNetwork([front, back], { ...none, selfNetworks: ['back', 'monitoring'] })).toEqual(back);
  });

  it('refuses to guess between several candidates', () => {
    expect(pickNetwork([front, back], none)).toEqual({ problem: expect.stringContaining('on several networks (front, back)') });
    expect(pickNetwork([front, back], { ...none, selfNetworks: ['front', 'back'] })).toEqual({
      problem: expect.stringContaining('several networks shared with the balancer (front, back)'),
    });
  });

  it('reports a container without an address (network mode host)', () => {
    expect(pickNetwork([{ name: 'host', address: '' }], none)).toEqual({ problem: expect.stringContaining('no address on networks host') });
    expect(pickNetwork([], none)).toEqual({ problem: expect.stringContaining('no address on no network') });
    expect(pickNetwork([{ name: 'host', address: '' }], { ...none, label: 'host' })).toEqual({
      problem: expect.stringContaining('no address on network host'),
    });
  });

  it('uses an IPv6-only address as is', () => {
    expect(pickNetwork([{ name: 'v6', address: 'fd00::5' }], none)).toEqual({ name: 'v6', address: 'fd00::5' });
  });
});
