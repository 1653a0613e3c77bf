import { describe, expect, it } from 'vitest';
import { InvalidTrustedProxyError, TrustedProxies } from './trusted-proxies.js';

describe('TrustedProxies', () => {
  const trust = TrustedProxies.parse('10.0.0.0/8, 127.0.0.1, fd00::/8');

  it('matches addresses, ranges and IPv4-mapped IPv6 peers', () => {
    expect(trust.isTrusted('10.1.2.3')).toBe(true);
    expect(trust.isTrusted('::ffff:127.0.0.1')).toBe(true);
    expect(trust.isTrusted('fd00::1')).toBe(true);
    expect(trust.isTrusted('11.0.0.1')).toBe(false);
    expect(trust.isTrusted('not an ip')).toBe(false);
  });

  it('believes X-Forwarded-For only through trusted hops, right to left', () => {
    expect(trust.clientAddress('203.0.113.9', '1.2.3.4')).toBe('203.0.113.9');
    expect(trust.clientAddress('127.0.0.1', '1.2.3.4')).toBe('1.2.3.4');
    expect(trust.clientAddress('127.0.0.1', '6.6.6.6, 1.2.3.4, 10.0.0.7')).toBe('1.2.3.4');
    expect(trust.clientAddress('127.0.0.1', 'garbage, 1.2.3.4')).toBe('1.2.3.4');
    expect(trust.clientAddress('127.0.0.1', '1.2.3.4, garbage')).toBe('127.0.0.1');
    expect(trust.clientAddress('127.0.0.1', undefined)).toBe('127.0.0.1');
  });

  it('rejects entries that are not addresses or ranges', () => {
    for (const bad of ['10.0.0.0/33', 'example.com', '10.0.0.1/8/1', '::1/129', '10.0.0.0/x']) {
      expect(() => TrustedProxies.parse(bad), bad).toThrow(InvalidTrustedProxyError);
    }
  });
});
