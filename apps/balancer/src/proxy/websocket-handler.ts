import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ProxyServer } from 'http-proxy-3';
import type { Logger } from 'pino';
import type { TrustedProxies } from '../clients/trusted-proxies.js';
import { rawJsonResponse } from '../raw-response.js';
import type { RequestPool } from '../routing/request-pool.js';
import { isRefusal, NO_BACKEND_MESSAGE, type Router } from '../routing/request-route.js';
import { targetOf } from './backend-target.js';
import { setForwardedHeaders } from './forwarded-headers.js';
import { requestIdOf } from './request-id.js';

export interface UpgradeHandlerDeps {
  readonly pool: RequestPool;
  readonly router: Router;
  readonly proxy: ProxyServer;
  readonly trust: TrustedProxies;
  readonly log: Logger;
}

/**
 * Proxies protocol upgrades (WebSocket) with http-proxy-3: the request takes the same
 * route as any other (routing/request-route.ts), then the two sockets are joined for the life of
 * the connection, which counts as one request in flight on that backend.
 */
export function createUpgradeHandler(deps: UpgradeHandlerDeps): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    socket.on('error', () => socket.destroy()); // a client reset must not become an unhandled error
    const route = deps.router.route(req);
    if (isRefusal(route)) {
      refuse(socket, 400, route.error, route.message);
      return;
    }
    const backend = deps.router.pick(route);
    if (backend === undefined) {
      refuse(socket, 503, 'no_backend', NO_BACKEND_MESSAGE);
      return;
    }
    req.url = route.target;
    const requestId = requestIdOf(req);
    setForwardedHeaders(req, requestId, deps.trust, true);
    deps.pool.acquire(backend);
    let released = false;
    const release = (outcome?: 'success' | 'connect_failure') => {
      if (released) return;
      released = true;
      deps.pool.release(backend, outcome === undefined ? {} : { outcome });
    };
    socket.once('close', () => release('success'));
    try {
      // `agent: false`: a connection of its own, never returned to a keep-alive pool. A
      // backend that answers an upgrade without switching protocols may leave that
      // connection in a state no other client's request should inherit.
      deps.proxy.ws(req, socket, head, { target: targetOf(backend), agent: false }, (error) => {
        deps.log.warn({ request_id: requestId, backend: backend.id, err: error.message }, 'websocket upgrade failed');
        release('connect_failure');
        refuse(socket, 502, 'bad_gateway', 'the backend failed the upgrade');
      });
    } catch (error) {
      // As for plain requests (request-handler.ts): one upgrade fails, not the process.
      deps.log.error({ request_id: requestId, backend: backend.id, err: error }, 'upgrade failed inside the balancer');
      release();
      refuse(socket, 500, 'internal_error', 'the balancer failed to forward this upgrade (logged under its request id)');
    }
  };
}

function refuse(socket: Duplex, status: number, error: string, message: string): void {
  if (socket.writable) socket.end(rawJsonResponse(status, error, message));
  else socket.destroy();
}
