import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { sendJson } from '../json-response.js';
import { rawJsonResponse } from '../raw-response.js';
import { createClientErrorHandler } from './client-error.js';
import type { FrontDoorConfig } from './front-door-config.js';
import type { RejectionCounter } from './rejection-counter.js';

export type TrafficServer = Server | HttpsServer;

/** Idle keep-alive connections stay open this long: above the usual 60 s of a load balancer in front. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * node:http options carrying the front door's limits. node checks the header and request
 * timeouts on a timer (`connectionsCheckingInterval`, 30 s by default); a fifth of the
 * shorter timeout, at most a second, closes a slow client within about 1.2x its limit.
 */
export function httpServerOptions(frontDoor: FrontDoorConfig): ServerOptions {
  return {
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    maxHeaderSize: frontDoor.maxHeaderBytes,
    headersTimeout: frontDoor.headersTimeoutMs,
    requestTimeout: frontDoor.requestTimeoutMs,
    connectionsCheckingInterval: connectionsCheckingInterval(frontDoor.headersTimeoutMs, frontDoor.requestTimeoutMs),
    // node answers a missing Host with an empty 400; the request guard answers it in JSON.
    requireHostHeader: false,
    // Only WebSocket upgrades leave the request path; any other `Upgrade` (h2c from
    // `curl --http2`) is an offer a server may ignore, so it is served as a plain request.
    shouldUpgradeCallback: (req) => req.method === 'GET' && typeof req.headers.upgrade === 'string' && req.headers.upgrade.toLowerCase() === 'websocket',
  };
}

/** node's `connectionsCheckingInterval` for these timeouts: a fifth of the shorter (20 ms to 1 s), so a slow client goes within about 1.2x its limit. */
export function connectionsCheckingInterval(headersTimeoutMs: number, requestTimeoutMs: number): number {
  const shortest = requestTimeoutMs === 0 ? headersTimeoutMs : Math.min(headersTimeoutMs, requestTimeoutMs);
  return Math.max(20, Math.min(1000, Math.floor(shortest / 5)));
}

/**
 * The traffic port's server: HTTPS (HTTP/1.1) when TLS is configured, else HTTP, with
 * the front door's limits, a cap on concurrent connections, and JSON answers for what
 * node would otherwise answer with an empty body or a dropped socket.
 */
export function createTrafficServer(
  frontDoor: FrontDoorConfig,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  count: RejectionCounter,
): TrafficServer {
  const options = httpServerOptions(frontDoor);
  const { tls } = frontDoor;
  const server: TrafficServer =
    tls === undefined ? createServer(options, handler) : createHttpsServer({ ...options, cert: tls.cert, key: tls.key, ALPNProtocols: ['http/1.1'] }, handler);
  if (frontDoor.maxConnections > 0) server.maxConnections = frontDoor.maxConnections;
  // Over the cap node closes the new connection before reading a byte: count it, nothing to answer.
  server.on('drop', () => count('too_many_connections'));
  server.on('clientError', createClientErrorHandler(count));
  // `Expect` other than 100-continue: node would answer 417 with an empty body.
  server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => {
    sendJson(res, 417, { error: 'expectation_failed', message: 'only "Expect: 100-continue" is supported' });
  });
  // CONNECT (forward-proxy tunnelling) is not offered: node would drop the socket without a word.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    socket.end(rawJsonResponse(405, 'method_not_allowed', 'CONNECT is not supported: this is a reverse proxy, not a forward proxy'));
  });
  return server;
}
