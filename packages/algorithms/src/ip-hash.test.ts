import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientIps, counts, servers, weighted } from '../test/fixtures.js';
import { assignments, moduloAssignments, remappedFraction } from '../test/remap.js';
import { IpHash } from './ip-hash.js';

const clients = clientIps(100_000);

describe('ip_hash (weighted Maglev)', () => {
  it('is deterministic: same key, same server, across instances', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 30 }), (key, n) => {
        const list = servers(n);
        expect(new IpHash().pick(list, key)).toBe(new IpHash().pick(list, key));
      }),
    );
  });

  it('adding an 11th server to 10 remaps at most 1.3x the ideal 1/11 (modulo hashing: ~91%)', () => {
    const ten = servers(10);
    const eleven = servers(11);
    const before = assignments(new IpHash(), ten, clients);
    const after = assignments(new IpHash(), eleven, clients);
    const ideal = 1 / 11;
    const ours = remappedFraction(before, after);
    const modulo = remappedFraction(moduloAssignments(ten, clients), moduloAssignments(eleven, clients));
    console.log(`add 11th: ip_hash remaps ${(ours * 100).toFixed(2)}% (ideal ${(ideal * 100).toFixed(2)}%), modulo ${(modulo * 100).toFixed(2)}%`);
    expect(ours).toBeLessThanOrEqual(1.3 * ideal);
    expect(ours).toBeGreaterThanOrEqual(0.9 * ideal); // the new server does get its share
    expect(modulo).toBeGreaterThan(0.85);
  });

  it('removing one of 10 remaps at most 1.1x that server share', () => {
    const ten = servers(10);
    const nine = ten.filter((s) => s.id !== 's3');
    const before = assignments(new IpHash(), ten, clients);
    const after = assignments(new IpHash(), nine, clients);
    const share = before.filter((id) => id === 's3').length / clients.length;
    const ours = remappedFraction(before, after);
    console.log(`remove 1 of 10: ip_hash remaps ${(ours * 100).toFixed(2)}% (its share ${(share * 100).toFixed(2)}%)`);
    expect(ours).toBeLessThanOrEqual(1.1 * share);
  });

  it('spreads clients evenly: max/mean at most 1.05 with equal weights', () => {
    const tally = counts(assignments(new IpHash(), servers(10), clients));
    const max = Math.max(...tally.values());
    const ratio = max / (clients.length / 10);
    console.log(`equal weights: max/mean ${ratio.toFixed(4)}`);
    expect(tally.size).toBe(10);
    expect(ratio).toBeLessThanOrEqual(1.05);
  });

  it('follows unequal weights within 5%', () => {
    const list = weighted(1, 2, 3, 4);
    const tally = counts(assignments(new IpHash(), list, clients));
    for (const server of list) {
      const expected = (clients.length * server.weight) / 10;
      expect(Math.abs(tally.get(server.id)! / expected - 1)).toBeLessThanOrEqual(0.05);
    }
  });

  it('never sends a key to a drained server, even when drained in place', () => {
    const list = servers(4);
    const ip = new IpHash();
    const owner = ip.pick(list, 'client')!;
    owner.weight = 0;
    const next = ip.pick(list, 'client');
    expect(next).toBeDefined();
    expect(next).not.toBe(owner);
    expect(ip.pick(servers(3, 0), 'client')).toBeUndefined();
    expect(ip.pick([], 'client')).toBeUndefined();
  });
});
