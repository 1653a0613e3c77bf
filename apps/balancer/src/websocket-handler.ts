import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ALGORITHM_NAMES, isAlgorithmName } from '@lbpoc/algorithms';
import type { BalancerMetrics } from '@lbpoc/metrics';
import type { BackendPool } from '@lbpoc/registry';
import type { ProxyServer } from 'http-proxy-3';
import type { Logger } from 'pino';
import { takeAlgorithmParam } from './algorithm-param.js';
import type { AlgorithmSet } from './algorithm-set.js';
import { targetOf } from './backend-target.js';
import { setForwardedHeaders } from './forwarded-headers.js';
import { rawJsonResponse } from './raw-response.js';
import { requestIdOf } from './request-id.js';
import { badTargetMessage, originFormOf } from './request-target.js';
import type { TrustedProxies } from './trusted-proxies.js';

export interface UpgradeHandlerDeps {
  readonly pool: BackendPool;
  readonly algorithms: AlgorithmSet;
  readonly proxy: ProxyServer;
  readonly trust: TrustedProxies;
  readonly log: Logger;
  readonly metrics: BalancerMetrics;
}

/**
 * Proxies protocol upgrades (WebSocket): the backend is chosen as for any request, then
 * the two sockets are joined for the life of the connection, which counts as one request
 * in flight on that backend.
 */
export function createUpgradeHandler(deps: UpgradeHandlerDeps): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    socket.on('error', () => socket.destroy()); // a client reset must not become an unhandled error
    const origin = originFormOf(req.url ?? '');
    if (origin === undefined) {
      deps.metrics.rejectedRequestsTotal.inc({ reason: 'bad_request' });
      refuse(socket, 400, 'bad_request', badTargetMessage(req.url ?? ''));
      return;
    }
    const { name, target } = takeAlgorithmParam(origin);
    if (name !== undefined && !isAlgorithmName(name)) {
      deps.metrics.rejectedRequestsTotal.inc({ reason: 'unknown_algorithm' });
      refuse(socket, 400, 'unknown_algorithm', `unknown algorithm ${JSON.stringify(name)}; use one of: ${ALGORITHM_NAMES.join(', ')}`);
      return;
    }
    const algorithm = name === undefined ? deps.algorithms.default : deps.algorithms.get(name);
    const backend = algorithm.pick(deps.pool.eligible(), deps.trust.clientAddress(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for']));
    if (backend === undefined) {
      refuse(socket, 503, 'no_backend', 'no healthy backend is available; retry later');
      return;
    }
    req.url = target;
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
      // `agent: false`: a connection of its own, never returned to the keep-alive pool. A
      // backend that answers an upgrade without switching protocols may leave that connection
      // in a state no other client's request should inherit.
      deps.proxy.ws(req, socket, head, { target: targetOf(backend), agent: false }, (error) => {
        deps.log.warn({ request_id: requestId, backend: backend.id, err: error.message }, 'websocket upgrade failed');
        release('connect_failure');
        refuse(socket, 502, 'bad_gateway', `backend ${backend.id} failed the upgrade`);
      });
    } catch (error) {
      // As for plain requests (proxy-handler.ts): one upgrade fails, not the process.
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
