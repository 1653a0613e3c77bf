import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ListenError, type Listener } from './listen-error.js';

/** What `server.listen(port, host)` fails with, for real. */
async function listenFailure(port: number, host: string): Promise<unknown> {
  const server = createServer();
  server.listen(port, host);
  const [error] = await once(server, 'error').catch((e: unknown) => [e]);
  return error;
}

const listener = (variable: string, hostVariable: string, host: string, port: number): Listener => ({ variable, hostVariable, host, port });

describe('ListenError', () => {
  it('names the variables, the address and what to do about a port in use', async () => {
    const holder = createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const taken = (holder.address() as AddressInfo).port;
    try {
      const listeners = [listener('PORT', 'HOST', '127.0.0.1', 0), listener('METRICS_PORT', 'METRICS_HOST', '127.0.0.1', taken)];
      const error = ListenError.from(await listenFailure(taken, '127.0.0.1'), listeners);
      expect(error).toBeInstanceOf(ListenError);
      expect(error).toMatchObject({ name: 'ListenError', variable: 'METRICS_PORT', code: 'EADDRINUSE' });
      expect(error!.message).toBe(
        `cannot listen on 127.0.0.1:${taken} (METRICS_PORT=${taken}, METRICS_HOST=127.0.0.1): the port is already in use; stop what holds it or set METRICS_PORT to another port (EADDRINUSE)`,
      );
    } finally {
      holder.close();
    }
  });

  it('points at the host variable for an address this machine does not have', async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never a local address.
    const error = ListenError.from(await listenFailure(0, '192.0.2.1'), [listener('PORT', 'HOST', '192.0.2.1', 0)]);
    expect(error).toMatchObject({ variable: 'PORT', code: 'EADDRNOTAVAIL' });
    expect(error!.message).toContain('set HOST to 0.0.0.0, 127.0.0.1 or one of its addresses');
  });

  it('points at the host variable for a host name that does not resolve', () => {
    // What node's listen() fails with for such a name (built here: the test sends no DNS query).
    const lookup = Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), {
      code: 'ENOTFOUND',
      syscall: 'getaddrinfo',
      hostname: 'nowhere.invalid',
    });
    const listeners = [listener('PORT', 'HOST', '127.0.0.1', 0), listener('METRICS_PORT', 'METRICS_HOST', 'nowhere.invalid', 0)];
    const error = ListenError.from(lookup, listeners);
    expect(error).toMatchObject({ variable: 'METRICS_PORT', code: 'ENOTFOUND' });
    expect(error!.message).toContain('METRICS_HOST does not resolve; set it to an IP address');
  });

  it('keeps the system message for a code it has no hint for, and ignores errors that are not about listening', () => {
    const odd = Object.assign(new Error('listen EWHATEVER'), { syscall: 'listen', code: 'EWHATEVER', port: 5000 });
    expect(ListenError.from(odd, [listener('PORT', 'HOST', '0.0.0.0', 5000)])?.message).toBe(
      'cannot listen on 0.0.0.0:5000 (PORT=5000, HOST=0.0.0.0): listen EWHATEVER (EWHATEVER)',
    );
    expect(ListenError.from(new Error('boom'), [listener('PORT', 'HOST', '0.0.0.0', 5000)])).toBeUndefined();
    expect(
      ListenError.from(Object.assign(new Error('x'), { syscall: 'listen', code: 'EADDRINUSE', port: 1 }), [listener('PORT', 'HOST', '0.0.0.0', 5000)]),
    ).toBeUndefined();
  });
});
