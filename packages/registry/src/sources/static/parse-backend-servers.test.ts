import { describe, expect, it } from 'vitest';
import { InvalidBackendServersError } from '../../shared/errors.js';
import { parseBackendServers } from './parse-backend-servers.js';

describe('parseBackendServers', () => {
  it('parses host:port with the default weight 1', () => {
    expect(parseBackendServers('backend1:5001,backend2:5002')).toEqual([
      { id: 'backend1:5001', host: 'backend1', port: 5001, weight: 1 },
      { id: 'backend2:5002', host: 'backend2', port: 5002, weight: 1 },
    ]);
  });

  it('parses @weight, including 0 (drained) and 1000', () => {
    expect(parseBackendServers('a:1@3,b:2@0,c:3@1000').map((b) => b.weight)).toEqual([3, 0, 1000]);
  });

  it('parses IPv4 and bracketed IPv6, with the id keeping the brackets', () => {
    expect(parseBackendServers('10.0.0.7:80,[::1]:5001@2,[2001:DB8::1]:443')).toEqual([
      { id: '10.0.0.7:80', host: '10.0.0.7', port: 80, weight: 1 },
      { id: '[::1]:5001', host: '::1', port: 5001, weight: 2 },
      { id: '[2001:db8::1]:443', host: '2001:db8::1', port: 443, weight: 1 },
    ]);
  });

  it('trims whitespace around entries and lower-cases hostnames', () => {
    expect(parseBackendServers(' Web_1:5001 ,  web-2.internal:5002@2 ').map((b) => b.id)).toEqual(['web_1:5001', 'web-2.internal:5002']);
  });

  it.each([
    ['', undefined, 'the value is empty'],
    ['   ', undefined, 'the value is empty'],
    ['a:1,', '', 'is empty'],
    ['a:1,,b:2', '', 'is empty'],
    ['backend1', 'backend1', 'has no port'],
    ['backend1:', 'backend1:', 'port must be an integer from 1 to 65535, got ""'],
    ['backend1:0', 'backend1:0', 'port must be an integer from 1 to 65535'],
    ['backend1:65536', 'backend1:65536', 'port must be an integer from 1 to 65535'],
    ['backend1:50x1', 'backend1:50x1', 'port must be an integer'],
    ['backend1:5001@', 'backend1:5001@', 'weight must be an integer from 0 to 1000, got ""'],
    ['backend1:5001@1001', 'backend1:5001@1001', 'weight must be an integer from 0 to 1000'],
    ['backend1:5001@-1', 'backend1:5001@-1', 'weight must be an integer'],
    ['backend1:5001@1.5', 'backend1:5001@1.5', 'weight must be an integer'],
    ['backend1:5001@2@3', 'backend1:5001@2@3', 'weight must be an integer'],
    ['backend1:5001;weight=3', 'backend1:5001;weight=3', 'port must be an integer'],
    ['http://backend1:5001', 'http://backend1:5001', 'must not include a scheme'],
    ['backend1:5001/api', 'backend1:5001/api', 'must not include a path'],
    ['::1:5001', '::1:5001', 'IPv6 address without brackets'],
    ['[::1]5001', '[::1]5001', 'no port after the bracketed address'],
    ['[::1:5001', '[::1:5001', 'without a closing "]"'],
    ['[nope]:5001', '[nope]:5001', 'is not an IPv6 address'],
    ['bad_host!:5001', 'bad_host!:5001', 'is not a valid hostname'],
    ['-a:5001', '-a:5001', 'is not a valid hostname'],
    ['a:1,b:2,a:1@5', 'a:1@5', 'duplicates an earlier entry (id a:1)'],
    ['A:1,a:1', 'a:1', 'duplicates an earlier entry'],
  ])('rejects %j', (value, entry, reason) => {
    let error: unknown;
    try {
      parseBackendServers(value);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidBackendServersError);
    const typed = error as InvalidBackendServersError;
    expect(typed.name).toBe('InvalidBackendServersError');
    expect(typed.code).toBe('ERR_INVALID_BACKEND_SERVERS');
    expect(typed.value).toBe(value);
    expect(typed.entry).toBe(entry);
    expect(typed.message).toContain(reason);
    expect(typed.message).toContain('host:port@weight');
  });

  it('names the variable, the bad entry and the syntax in one message', () => {
    expect(() => parseBackendServers('web1:5001,web2')).toThrowErrorMatchingInlineSnapshot(
      `[InvalidBackendServersError: BACKEND_SERVERS="web1:5001,web2" is invalid: entry "web2" has no port; write host:port. Expected comma-separated host:port or host:port@weight (weight an integer 0..1000, default 1, 0 = drained); IPv6 in brackets, e.g. "web1:5001,web2:5001@3,[::1]:5002@2"]`,
    );
  });
});
