import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RejectionCounter } from './rejection-counter.js';

type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * `WEBSOCKET_IDLE_TIMEOUT_MS`: an upgraded connection (a proxied WebSocket) with no byte
 * in either direction for `idleMs` is closed and counted as `websocket_idle`, as nginx's
 * `proxy_read_timeout` closes an idle tunnel. Without it a WebSocket lives as long as
 * its client keeps the TCP connection, and a few clients could hold every
 * `MAX_CONNECTIONS` place (and a request in flight on a backend each) doing nothing.
 * WebSocket pings are bytes: a client or backend that pings stays open.
 *
 * The timer is the client socket's own (`socket.setTimeout`): node restarts it on every
 * read and every write, so traffic from the backend to the client counts too. After an
 * upgrade node's HTTP server no longer times the socket, and http-proxy-3 clears its
 * timeout (`setTimeout(0)`) while it sets the tunnel up, synchronously inside `next`:
 * the idle timeout is set after `next` returns.
 */
export function closeIdleUpgrades(next: UpgradeListener, idleMs: number, count: RejectionCounter): UpgradeListener {
  return (req, socket, head) => {
    next(req, socket, head);
    // Refused (answered and ended) or already gone: nothing to watch.
    if (socket.destroyed || !socket.writable) return;
    (socket as Socket).setTimeout(idleMs, () => {
      count('websocket_idle');
      socket.destroy();
    });
  };
}
