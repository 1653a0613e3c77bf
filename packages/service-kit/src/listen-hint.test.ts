import { describe, expect, it } from 'vitest';
import { listenHint } from './listen-hint.js';

describe('listenHint', () => {
  it.each([
    [
      'EADDRINUSE',
      'the port is already in use; stop what holds it or set PORT to another port',
      'the port is already in use; stop what holds it or choose another port',
    ],
    [
      'EACCES',
      'permission denied; ports below 1024 need privileges, set PORT to 1024 or above',
      'permission denied; ports below 1024 need privileges, choose a port of 1024 or above',
    ],
    [
      'EADDRNOTAVAIL',
      'the address is not on this machine; set HOST to 0.0.0.0, 127.0.0.1 or one of its addresses',
      'the address is not on this machine; use 0.0.0.0, 127.0.0.1 or one of its addresses',
    ],
    ['ENOTFOUND', 'HOST does not resolve; set it to an IP address', 'the host name does not resolve; use an IP address or a resolvable name'],
    ['EAI_AGAIN', 'HOST does not resolve; set it to an IP address', 'the host name does not resolve; use an IP address or a resolvable name'],
  ])('%s: names the variable to change when given, else says what to choose', (code, withSettings, without) => {
    expect(listenHint(code, { port: 'PORT', host: 'HOST' })).toBe(withSettings);
    expect(listenHint(code)).toBe(without);
  });

  it('has no hint for errors that are not the caller’s to fix', () => {
    expect(listenHint('EMFILE')).toBeUndefined();
    expect(listenHint('ECONNRESET', { port: 'PORT', host: 'HOST' })).toBeUndefined();
  });
});
