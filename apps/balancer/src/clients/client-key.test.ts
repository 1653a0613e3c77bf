import { BlockList, isIPv6, SocketAddress } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientKey } from './client-key.js';

describe('clientKey', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(clientKey('198.51.100.7')).toBe('198.51.100.7');
    expect(clientKey('198.51.100.7', 128)).toBe('198.51.100.7');
  });

  it('keys an IPv6 address by its /64, whichever way it is written', () => {
    const forms = [
      '2001:db8:1:2:aaaa:bbbb:cccc:dddd',
      '2001:0DB8:0001:0002:AAAA:BBBB:CCCC:DDDD',
      '2001:db8:1:2::1',
      '2001:db8:1:2::',
      '2001:db8:1:2:ffff:ffff:ffff:ffff',
      '2001:db8:1:2::1%eth0',
      '2001:db8:1:2:0:0:1.2.3.4',
      '2001:db8:1:2::1.2.3.4',
    ];
    for (const form of forms) expect(clientKey(form), form).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientKey('2001:db8:1:3::1')).not.toBe(clientKey('2001:db8:1:2::1'));
  });

  it('masks at any prefix from 32 to 128, in the middle of a group too', () => {
    const address = '2001:db8:abcd:1234:5678:9abc:def0:1234';
    expect(clientKey(address, 32)).toBe('2001:db8::/32');
    expect(clientKey(address, 48)).toBe('2001:db8:abcd::/48');
    expect(clientKey(address, 56)).toBe('2001:db8:abcd:1200::/56');
    expect(clientKey(address, 60)).toBe('2001:db8:abcd:1230::/60');
    expect(clientKey(address, 96)).toBe('2001:db8:abcd:1234:5678:9abc::/96');
    expect(clientKey(address, 127)).toBe('2001:db8:abcd:1234:5678:9abc:def0:1234/127');
    expect(clientKey('2001:db8::1235', 127)).toBe('2001:db8::1234/127');
    expect(clientKey(address, 128)).toBe(address);
    expect(clientKey('2001:0db8:0:0:0:0:0:0001', 128)).toBe('2001:db8::1'); // one spelling per address
  });

  it('handles the unspecified address, loopback and link-local with a zone', () => {
    expect(clientKey('::')).toBe('::/64');
    expect(clientKey('::', 128)).toBe('::');
    expect(clientKey('::1')).toBe('::/64');
    expect(clientKey('::1', 128)).toBe('::1');
    expect(clientKey('fe80::1%eth0')).toBe('fe80::/64');
    expect(clientKey('fe80::1%eth0', 128)).toBe('fe80::1');
    expect(clientKey('fe80::1%1', 128)).toBe(clientKey('fe80::1%2', 128)); // the zone does not make a new client
  });

  it('reads an IPv4-mapped IPv6 address as the IPv4 address, per address', () => {
    expect(clientKey('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(clientKey('::FFFF:198.51.100.7')).toBe('198.51.100.7');
    expect(clientKey('::ffff:c633:6407')).toBe('198.51.100.7'); // the same address in hex
    expect(clientKey('0:0:0:0:0:ffff:198.51.100.7', 32)).toBe('198.51.100.7');
    expect(clientKey('::ffff:198.51.100.8')).not.toBe(clientKey('::ffff:198.51.100.7'));
    // Not mapped: the deprecated IPv4-compatible form and NAT64 stay IPv6 prefixes.
    expect(clientKey('::198.51.100.7')).toBe('::/64');
    expect(clientKey('64:ff9b::198.51.100.7', 96)).toBe('64:ff9b::/96');
  });

  it('writes RFC 5952 text: the longest zero run compressed, the first of equal ones', () => {
    expect(clientKey('1:0:0:2:0:0:0:3', 128)).toBe('1:0:0:2::3');
    expect(clientKey('1:0:0:2:3:0:0:4', 128)).toBe('1::2:3:0:0:4');
    expect(clientKey('1:0:2:3:4:5:6:7', 128)).toBe('1:0:2:3:4:5:6:7'); // a single zero group is not compressed
    expect(clientKey('0:0:0:0:0:0:0:1', 128)).toBe('::1');
    expect(clientKey('1:0:0:0:0:0:0:0', 128)).toBe('1::');
  });

  it('keys a string that is not an IP address by itself', () => {
    for (const value of ['', 'unknown', 'example.com', '[::1]', '::1/64', '2001:db8::1:80:', '1.2.3.4%eth0', '1.2.3', ':::', '::g', '1.2.3.4.5']) {
      expect(clientKey(value), JSON.stringify(value)).toBe(value);
    }
  });
});

describe('clientKey against node (inet_ntop, BlockList), over random addresses', () => {
  // Zero-heavy groups so that `::` runs of every length and position come up.
  const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
  const groups = fc.array(group, { minLength: 8, maxLength: 8 }).filter(
    // inet_ntop writes ::a.b.c.d and ::ffff:a.b.c.d forms for these; they are tested above.
    (g) => !(g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && (g[5] === 0 || g[5] === 0xffff)),
  );
  const spelled = (g: readonly number[]) => g.map((n) => n.toString(16).toUpperCase().padStart(4, '0')).join(':');

  it('writes a full address (prefix 128) exactly as node does', () => {
    fc.assert(
      fc.property(groups, (g) => {
        expect(clientKey(spelled(g), 128)).toBe(new SocketAddress({ address: spelled(g), family: 'ipv6' }).address);
      }),
      { numRuns: 1000, seed: 1 },
    );
  });

  it('gives two addresses the same key exactly when node puts them in the same subnet', () => {
    fc.assert(
      fc.property(groups, groups, fc.integer({ min: 32, max: 127 }), fc.integer({ min: 0, max: 7 }), (a, b, prefix, shared) => {
        const near = [...a.slice(0, shared), ...b.slice(shared)]; // shares the first groups with a, often the whole prefix
        const key = clientKey(spelled(a), prefix);
        const [network, bits] = key.split('/') as [string, string];
        expect(Number(bits)).toBe(prefix);
        const subnet = new BlockList();
        subnet.addSubnet(network, prefix, 'ipv6');
        expect(subnet.check(spelled(a), 'ipv6')).toBe(true);
        expect(clientKey(spelled(near), prefix) === key).toBe(subnet.check(spelled(near), 'ipv6'));
      }),
      { numRuns: 1000, seed: 1 },
    );
  });

  it('takes for IPv6 exactly what net.isIPv6 takes, near-valid spellings included', () => {
    const hex = fc.oneof(
      fc.constant('0'),
      fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16)),
      fc.constantFrom('00000', 'g', '', 'FFFF', '0db8'),
    );
    // Mostly valid shapes: 1 to 8 hex groups, `::` somewhere or nowhere, maybe a dotted tail and a zone.
    const spelling = fc
      .tuple(
        fc.array(hex, { minLength: 0, maxLength: 9 }),
        fc.integer({ min: -1, max: 9 }), // where `::` goes, -1: nowhere
        fc.option(fc.constantFrom('1.2.3.4', '255.255.255.255', '192.168.0.1', '01.2.3.4', '256.1.1.1', '1.2.3', '1.2.3.4.5')),
        fc.option(fc.constantFrom('%eth0', '%1', '%', '%a b', '%a:b.c-d')),
      )
      .map(([groups, gap, ipv4, zone]) => {
        const parts = ipv4 === null ? groups : [...groups, ipv4];
        const text = gap < 0 || gap > parts.length ? parts.join(':') : `${parts.slice(0, gap).join(':')}::${parts.slice(gap).join(':')}`;
        return text + (zone ?? '');
      });
    const written = fc
      .array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 })
      .map((g) => new SocketAddress({ address: g.map((n) => n.toString(16)).join(':'), family: 'ipv6' }).address);
    const mutated = fc.tuple(fc.oneof(spelling, written), fc.nat(), fc.constantFrom('', ':', '.', '%', 'a', '0', ' ')).map(([text, at, char]) => {
      const i = at % (text.length + 1);
      return at % 2 === 0 ? text.slice(0, i) + char + text.slice(i) : text.slice(0, i) + text.slice(i + 1);
    });
    const anything = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:.%g'.split('')), maxLength: 45 });
    let valid = 0;
    fc.assert(
      fc.property(fc.oneof(spelling, written, mutated, anything), (text) => {
        const accepted = clientKey(text, 64) !== text; // a key differs from its address only for an IPv6 address
        expect(accepted, text).toBe(isIPv6(text));
        if (accepted) valid++;
      }),
      { numRuns: 20_000, seed: 1 },
    );
    expect(valid).toBeGreaterThan(2000); // the generator reaches valid addresses, not only garbage
  });
});
