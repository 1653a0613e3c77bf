import type { Server, Socket } from 'node:net';
import type { RejectionCounter } from '../front-door/rejection-counter.js';
import { clientKey } from './client-key.js';

export interface ConnectionsPerClientOptions {
  /** Open connections one client may have (1 or more). */
  readonly max: number;
  /** IPv6 peers are one client per prefix of this many bits (`clientKey`). */
  readonly ipv6Prefix: number;
  /** Peers never counted: trusted proxies, each carrying many clients over its connections. */
  readonly exempt: (address: string) => boolean;
}

const NOTHING = () => {};

/**
 * The open connections of each client, by `clientKey` (an IPv4 address, an IPv6 prefix).
 * Bookkeeping only: one map entry per client with a connection open, so memory follows
 * the open connections (at most `MAX_CONNECTIONS` of them), not every client ever seen.
 */
export class ConnectionsPerClient {
  private readonly open = new Map<string, number>();

  constructor(readonly options: ConnectionsPerClientOptions) {}

  /** Clients with at least one connection counted. */
  get clients(): number {
    return this.open.size;
  }

  /** Connections counted for the client at `address`. */
  countOf(address: string): number {
    return this.open.get(clientKey(address, this.options.ipv6Prefix)) ?? 0;
  }

  /**
   * Takes a place for a new connection from `address`. Returns the function that gives
   * it back (call it when the connection closes; calling it again does nothing), or
   * undefined when that client already has `max` connections open.
   */
  admit(address: string): (() => void) | undefined {
    if (this.options.exempt(address)) return NOTHING;
    const key = clientKey(address, this.options.ipv6Prefix);
    const open = this.open.get(key) ?? 0;
    if (open >= this.options.max) return undefined;
    this.open.set(key, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.open.get(key)! - 1;
      if (left === 0) this.open.delete(key);
      else this.open.set(key, left);
    };
  }
}

/**
 * `MAX_CONNECTIONS_PER_CLIENT` on a listening server: a connection beyond its client's
 * cap is closed before a byte is read (before the TLS handshake on HTTPS), as node's
 * `maxConnections` closes one beyond the server's, and counted as
 * `too_many_connections_per_client`. So one client cannot take every `MAX_CONNECTIONS`
 * place, with idle WebSockets or keep-alive connections. The client is the socket peer:
 * a connection is accepted before any `X-Forwarded-For` could be read, which is why
 * trusted proxies are exempt.
 */
export function capConnectionsPerClient(server: Server, options: ConnectionsPerClientOptions, count: RejectionCounter): ConnectionsPerClient {
  const connections = new ConnectionsPerClient(options);
  // Before node's own `connection` listener, which then finds the socket being destroyed:
  // nothing is read from it or answered (over TLS, node reports the cut handshake as a
  // `clientError` ECONNRESET, which front-door/client-error.ts does not count again).
  server.prependListener('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined) return; // already gone
    const release = connections.admit(address);
    if (release === undefined) {
      count('too_many_connections_per_client');
      socket.destroy();
      return;
    }
    socket.once('close', release);
  });
  return connections;
}
