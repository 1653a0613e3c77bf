import { describe, expect, it } from 'vitest';
import { badTargetMessage, originFormOf } from './request-target.js';

describe('originFormOf', () => {
  it('keeps an origin-form target byte for byte, however odd', () => {
    for (const target of ['/', '/a/../b', '/%2e%2e/x', '/\\', '/\\evil.example/x', '//x//y', '/p?a=1?b&c=%ZZ', '/caf\u00e9', '/?'])
      expect(originFormOf(target)).toBe(target);
  });

  it('turns absolute-form into the origin-form of its path, unnormalised', () => {
    expect(originFormOf('http://example.com/a/../b?x=1')).toBe('/a/../b?x=1');
    expect(originFormOf('HTTPS://example.com:8443')).toBe('/');
    expect(originFormOf('http://example.com?x=1')).toBe('/?x=1');
    expect(originFormOf('http://[::1]:80//x')).toBe('//x');
  });

  it('refuses targets with no path to forward', () => {
    for (const target of ['*', 'example.com:443', 'HTTP/1.1', 'a/b', '', 'ftp://example.com/x', 'http:/x'])
      expect(originFormOf(target), target).toBeUndefined();
  });

  it('quotes at most 100 characters of a refused target', () => {
    expect(badTargetMessage('*')).toBe('the request target "*" is neither a path ("/...") nor an absolute http(s) URL');
    expect(badTargetMessage('x'.repeat(5000)).length).toBeLessThan(200);
  });
});
