import { describe, expect, it } from 'vitest';
import { ConnectionsPerClient } from './connections-per-client.js';

const exemptNone = () => false;

describe('ConnectionsPerClient', () => {
  it('admits up to max connections per client, and one more when one is given back', () => {
    const connections = new ConnectionsPerClient({ max: 2, ipv6Prefix: 64, exempt: exemptNone });
    const first = connections.admit('198.51.100.1');
    const second = connections.admit('198.51.100.1');
    expect(first).toBeTypeOf('function');
    expect(second).toBeTypeOf('function');
    expect(connections.admit('198.51.100.1')).toBeUndefined();
    expect(connections.admit('198.51.100.2')).toBeTypeOf('function'); // another client
    first!();
    first!(); // given back twice: counted once
    expect(connections.countOf('198.51.100.1')).toBe(1);
    expect(connections.admit('198.51.100.1')).toBeTypeOf('function');
    expect(connections.admit('198.51.100.1')).toBeUndefined();
  });

  it('counts an IPv6 prefix as one client, and a mapped IPv4 peer as its IPv4 address', () => {
    const connections = new ConnectionsPerClient({ max: 2, ipv6Prefix: 64, exempt: exemptNone });
    expect(connections.admit('2001:db8:1:2::1')).toBeTypeOf('function');
    expect(connections.admit('2001:db8:1:2:aaaa::1')).toBeTypeOf('function');
    expect(connections.admit('2001:db8:1:2:bbbb::1')).toBeUndefined(); // a third address of the same /64
    expect(connections.admit('2001:db8:1:3::1')).toBeTypeOf('function');
    expect(connections.admit('::ffff:198.51.100.1')).toBeTypeOf('function');
    expect(connections.admit('198.51.100.1')).toBeTypeOf('function');
    expect(connections.admit('::ffff:198.51.100.1')).toBeUndefined();
    const exact = new ConnectionsPerClient({ max: 1, ipv6Prefix: 128, exempt: exemptNone });
    expect([exact.admit('2001:db8::1'), exact.admit('2001:db8::2')].every((release) => release !== undefined)).toBe(true);
  });

  it('never refuses nor counts an exempt peer (a trusted proxy)', () => {
    const connections = new ConnectionsPerClient({ max: 1, ipv6Prefix: 64, exempt: (address) => address === '10.0.0.5' });
    for (let i = 0; i < 5; i++) expect(connections.admit('10.0.0.5')).toBeTypeOf('function');
    expect(connections.clients).toBe(0);
    expect(connections.admit('10.0.0.6')).toBeTypeOf('function');
    expect(connections.admit('10.0.0.6')).toBeUndefined();
  });

  it('forgets a client once its last connection is given back', () => {
    const connections = new ConnectionsPerClient({ max: 3, ipv6Prefix: 64, exempt: exemptNone });
    const releases = Array.from({ length: 1000 }, (_, i) => connections.admit(`10.0.${i >> 8}.${i & 255}`)!);
    expect(connections.clients).toBe(1000);
    for (const release of releases) release();
    expect(connections.clients).toBe(0);
  });
});
