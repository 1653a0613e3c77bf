import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestHeadProblem } from './request-head-check.js';

/** The fields of a parsed request that the check reads, as node's parser fills them. */
function head(rawHeaders: string[], version = '1.1'): IncomingMessage {
  const headers: Record<string, string> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!;
    if (name === 'host' && headers.host !== undefined) continue; // node keeps the first Host
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const [major, minor] = version.split('.').map(Number);
  return { headers, rawHeaders, httpVersionMajor: major, httpVersionMinor: minor } as unknown as IncomingMessage;
}

describe('requestHeadProblem', () => {
  it('accepts the heads real clients send', () => {
    for (const host of ['example.com', 'example.com:8080', '127.0.0.1:5000', '[::1]:5000', '[fe80::1%25eth0]', 'xn--bcher-kva.example', 'a_b.local', ''])
      expect(requestHeadProblem(head(['Host', host])), host).toBeUndefined();
    expect(requestHeadProblem(head(['Host', 'x', 'Transfer-Encoding', 'chunked']))).toBeUndefined();
    expect(requestHeadProblem(head(['Host', 'x', 'Transfer-Encoding', 'gzip, Chunked ']))).toBeUndefined();
    expect(requestHeadProblem(head(['Host', 'x', 'Transfer-Encoding', 'gzip', 'Transfer-Encoding', 'chunked']))).toBeUndefined();
    expect(requestHeadProblem(head([], '1.0'))).toBeUndefined();
  });

  it('names what is wrong with the Host', () => {
    expect(requestHeadProblem(head([]))).toBe('an HTTP/1.1 request needs a Host header (RFC 9112 section 3.2)');
    expect(requestHeadProblem(head(['Host', 'x', 'host', 'y']))).toBe('the request has 2 Host headers; RFC 9112 section 3.2 allows one');
    for (const host of ['a b', 'x/y', 'x@y', 'x:80:80', 'x:port', '[::1', 'é.example', 'x\ty'])
      expect(requestHeadProblem(head(['Host', host])), host).toBe(
        `the Host header ${JSON.stringify(host)} is not a host name or IP address with an optional port (RFC 9112 section 3.2)`,
      );
    expect(requestHeadProblem(head(['Host', ` ${'h'.repeat(500)}`]))!.length).toBeLessThan(250);
  });

  it('refuses a Transfer-Encoding that does not end in chunked', () => {
    for (const coding of ['gzip', 'chunked, gzip', '0x10', 'identity', 'xchunked', 'chunked;q=1'])
      expect(requestHeadProblem(head(['Host', 'x', 'Transfer-Encoding', coding])), coding).toBe(
        `Transfer-Encoding ${JSON.stringify(coding)} does not end in chunked, so the body has no knowable length (RFC 9112 section 6.1)`,
      );
  });
});
