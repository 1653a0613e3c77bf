import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { declaresTooLarge } from './body-limit.js';
import { sendJson } from './json-response.js';
import { rawJsonResponse } from './raw-response.js';
import type { RateLimiter } from './rate-limiter.js';
import type { RejectionCounter } from './rejection-reason.js';
import type { TrustedProxies } from './trusted-proxies.js';

export interface RequestGuardDeps {
  /** Undefined: no rate limiting. */
  readonly rateLimiter: RateLimiter | undefined;
  /** 0: no body limit. */
  readonly maxBodyBytes: number;
  readonly trust: TrustedProxies;
  readonly count: RejectionCounter;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;
type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * The checks a request passes before the proxy sees it: an HTTP/1.1 Host header (node
 * would answer its absence with a bare 400), the client's rate limit (per client
 * address, the same one `ip_hash` uses, so a trusted proxy's clients are limited one by
 * one rather than together) and the declared body size. Each is a property read or two;
 * a feature that is off costs one comparison.
 */
export function guardRequests(deps: RequestGuardDeps, next: RequestListener): RequestListener {
  const { rateLimiter, maxBodyBytes, trust, count } = deps;
  if (next) return next;
  return (req, res) => {
    if (req.headers.host === undefined && req.httpVersionMinor === 1) {
      count('bad_request');
      sendJson(res, 400, { error: 'bad_request', message: 'an HTTP/1.1 request needs a Host header (RFC 9112 section 3.2)' }, { connection: 'close' });
      return;
    }
    if (rateLimiter !== undefined) {
      const wait = rateLimiter.take(trust.clientAddress(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for']));
      if (wait > 0) {
        count('rate_limited');
        sendJson(res, 429, rateLimitedBody(rateLimiter, wait), { 'retry-after': String(wait) });
        return;
      }
    }
    if (maxBodyBytes > 0 && declaresTooLarge(req, maxBodyBytes)) {
      count('body_too_large');
      // Closing is the only way not to read the body we refused; keep-alive would have to drain it.
      sendJson(
        res,
        413,
        { error: 'body_too_large', message: `the request body is larger than ${maxBodyBytes} bytes (MAX_BODY_BYTES)`, limit: maxBodyBytes },
        { connection: 'close' },
      );
      return;
    }
    next(req, res);
  };
}

/** The same rate limit for protocol upgrades (WebSocket), answered on the bare socket. */
export function guardUpgrades(deps: RequestGuardDeps, next: UpgradeListener): UpgradeListener {
  const { rateLimiter, trust, count } = deps;
  if (rateLimiter === undefined) return next;
  return (req, socket, head) => {
    const wait = rateLimiter.take(trust.clientAddress(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for']));
    if (wait === 0) {
      next(req, socket, head);
      return;
    }
    count('rate_limited');
    socket.on('error', () => socket.destroy());
    socket.end(rawJsonResponse(429, 'rate_limited', rateLimitedBody(rateLimiter, wait).message, { 'retry-after': String(wait) }));
  };
}

function rateLimitedBody(limiter: RateLimiter, wait: number) {
  const { ratePerSecond, burst } = limiter.config;
  return {
    error: 'rate_limited',
    message: `too many requests from this client: the limit is ${ratePerSecond} per second with bursts of ${burst}; retry in ${wait} s`,
    retry_after_seconds: wait,
  };
}
