import { describe, expect, it } from 'vitest';
import { clientAddresses } from '../src/client-population.js';
import { ipHashMapper, moduloHashMapper, remapFraction, remapOnResize } from '../src/remap.js';

const ips = clientAddresses(100_000, 2024);
const ten = Array.from({ length: 10 }, (_, i) => ({ id: `10.0.0.${i + 1}:8080` }));
const eleven = [...ten, { id: '10.0.0.11:8080' }];

describe('key remapping when the server list changes (100,000 client IPs)', () => {
  it('ip_hash (Maglev) moves about 1/11 of the IPs when an 11th server joins 10', () => {
    const moved = remapFraction(ips, ten, eleven, ipHashMapper());
    // Ideal consistent hashing moves exactly the newcomer's share, 1/11 = 9.1%; Maglev
    // trades a little extra disruption for even balance.
    expect(moved).toBeGreaterThan(1 / 11 - 0.01);
    expect(moved).toBeLessThan(1 / 11 + 0.02);
  });

  it("the seed's hash(ip) % n moves about 10/11 = 91% of them", () => {
    // h mod 10 = h mod 11 only for about 1 in 11 values of h.
    expect(remapFraction(ips, ten, eleven, moduloHashMapper)).toBeCloseTo(10 / 11, 2);
  });

  it('removing a server: ip_hash moves about its share, modulo nearly everything', () => {
    const ipHash = remapOnResize(ips, ten, ipHashMapper());
    const modulo = remapOnResize(ips, ten, moduloHashMapper);
    expect(ipHash.removed).toBeGreaterThan(0.1 - 0.01);
    expect(ipHash.removed).toBeLessThan(0.1 + 0.02);
    expect(modulo.removed).toBeCloseTo(0.9, 2);
    expect(ipHash.added).toBeLessThan(0.11);
    expect(modulo.added).toBeCloseTo(10 / 11, 2);
  });

  it('an unchanged list moves nothing', () => {
    expect(remapFraction(ips, ten, [...ten], ipHashMapper())).toBe(0);
  });
});
