import type { EnvReader } from '@lbpoc/service-kit';
import { DEFAULT_IPV6_PREFIX } from '../clients/client-key.js';
import type { RateLimitConfig } from '../clients/rate-limiter.js';
import { readTlsConfig, type TlsConfig } from './tls-config.js';

/** What the traffic port accepts from clients, and how: limits, rate limiting, TLS. */
export interface FrontDoorConfig {
  /** `RATE_LIMIT_RPS` (and `_BURST`, `_MAX_CLIENTS`); undefined: no rate limiting. */
  readonly rateLimit: RateLimitConfig | undefined;
  /** `MAX_BODY_BYTES`: larger request bodies get 413; 0: no limit. */
  readonly maxBodyBytes: number;
  /**
   * `MAX_HEADER_BYTES`: the request target plus every header name and value, as node's
   * parser counts them (without the method, spaces and line ends); reaching it gets 431.
   */
  readonly maxHeaderBytes: number;
  /** `HEADERS_TIMEOUT_MS`: the whole request head must arrive within this. */
  readonly headersTimeoutMs: number;
  /** `REQUEST_TIMEOUT_MS`: the whole request, body included, must arrive within this; 0: no limit. */
  readonly requestTimeoutMs: number;
  /** `MAX_CONNECTIONS`: concurrent client connections; more are closed at once; 0: no limit. */
  readonly maxConnections: number;
  /**
   * `MAX_CONNECTIONS_PER_CLIENT`: concurrent connections from one client (a socket peer's
   * IPv4 address or IPv6 prefix; trusted proxies are not counted); more are closed at
   * once; 0: no limit.
   */
  readonly maxConnectionsPerClient: number;
  /** `CLIENT_IPV6_PREFIX`: IPv6 clients are told apart by this many leading bits (rate limit, connection cap). */
  readonly clientIpv6Prefix: number;
  /** `WEBSOCKET_IDLE_TIMEOUT_MS`: an upgraded connection with no byte either way for this long is closed; 0: never. */
  readonly websocketIdleTimeoutMs: number;
  readonly tls: TlsConfig | undefined;
}

export const FRONT_DOOR_DEFAULTS = {
  maxBodyBytes: 10 * 1024 * 1024,
  maxHeaderBytes: 16 * 1024,
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 300_000,
  maxConnections: 10_000,
  // Far above a browser's 6 connections per origin plus its WebSockets, and above an office
  // behind one NAT address; yet a single client needs 40 addresses to fill MAX_CONNECTIONS.
  maxConnectionsPerClient: 256,
  clientIpv6Prefix: DEFAULT_IPV6_PREFIX,
  // nginx (proxy_read_timeout) and AWS's ALB close an idle proxied WebSocket after 60 s by
  // default; five minutes is kinder to applications that ping rarely, and still frees the
  // slot of a connection its client forgot.
  websocketIdleTimeoutMs: 300_000,
  rateLimitMaxClients: 100_000,
} as const;

export function readFrontDoorConfig(read: EnvReader): FrontDoorConfig {
  const d = FRONT_DOOR_DEFAULTS;
  const headersTimeoutMs = read.milliseconds('HEADERS_TIMEOUT_MS', d.headersTimeoutMs, 100);
  const requestTimeoutMs = read.milliseconds('REQUEST_TIMEOUT_MS', d.requestTimeoutMs, 0);
  // node:http refuses a headers timeout longer than the request timeout (the head is part of the request).
  if (requestTimeoutMs !== 0 && headersTimeoutMs > requestTimeoutMs) {
    read.problem('REQUEST_TIMEOUT_MS', `0 (no limit) or at least HEADERS_TIMEOUT_MS (${headersTimeoutMs}), since the request includes its head`);
  }
  const clientIpv6Prefix = read.integer('CLIENT_IPV6_PREFIX', d.clientIpv6Prefix, 32, 128);
  return {
    rateLimit: readRateLimit(read, clientIpv6Prefix),
    maxBodyBytes: read.integer('MAX_BODY_BYTES', d.maxBodyBytes, 0, Number.MAX_SAFE_INTEGER),
    maxHeaderBytes: read.integer('MAX_HEADER_BYTES', d.maxHeaderBytes, 1024, 1024 * 1024),
    headersTimeoutMs,
    requestTimeoutMs,
    maxConnections: read.integer('MAX_CONNECTIONS', d.maxConnections, 0, 1_000_000),
    maxConnectionsPerClient: read.integer('MAX_CONNECTIONS_PER_CLIENT', d.maxConnectionsPerClient, 0, 1_000_000),
    clientIpv6Prefix,
    websocketIdleTimeoutMs: read.milliseconds('WEBSOCKET_IDLE_TIMEOUT_MS', d.websocketIdleTimeoutMs, 0),
    tls: readTlsConfig(read),
  };
}

function readRateLimit(read: EnvReader, ipv6Prefix: number): RateLimitConfig | undefined {
  const ratePerSecond = read.decimal('RATE_LIMIT_RPS', 0.01, 1_000_000);
  if (ratePerSecond === undefined) {
    for (const variable of ['RATE_LIMIT_BURST', 'RATE_LIMIT_MAX_CLIENTS']) {
      if (read.raw(variable) !== undefined && read.raw('RATE_LIMIT_RPS') === undefined) {
        read.problem(variable, 'only with RATE_LIMIT_RPS, which turns rate limiting on');
      }
    }
    return undefined;
  }
  // One second's worth of requests by default: a client may catch up after a short pause.
  const defaultBurst = Math.max(1, Math.ceil(ratePerSecond));
  return {
    ratePerSecond,
    burst: read.integer('RATE_LIMIT_BURST', defaultBurst, 1, 1_000_000),
    maxClients: read.integer('RATE_LIMIT_MAX_CLIENTS', FRONT_DOOR_DEFAULTS.rateLimitMaxClients, 2, 10_000_000),
    ipv6Prefix,
  };
}
