import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ClientRateLimiter } from '../clients/rate-limiter.js';
import type { TrustedProxies } from '../clients/trusted-proxies.js';
import { sendJson } from '../json-response.js';
import { framingOf } from '../proxy/request-framing.js';
import { rawJsonResponse } from '../raw-response.js';
import { declaresTooLarge } from './body-limit.js';
import type { RejectionCounter } from './rejection-counter.js';
import { requestHeadProblem } from './request-head-check.js';

export interface RequestGuardDeps {
  /** Undefined: no rate limiting. */
  readonly rateLimiter: ClientRateLimiter | undefined;
  /** 0: no body limit. */
  readonly maxBodyBytes: number;
  readonly trust: TrustedProxies;
  readonly count: RejectionCounter;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;
type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * The checks a request passes before the proxy sees it: a head RFC 9112 lets us forward
 * (Host, Transfer-Encoding: request-head-check.ts), the client's rate limit (per client
 * address, the same one `ip_hash` uses, so a trusted proxy's clients are limited one by
 * one rather than together) and the declared body size. A feature that is off costs one
 * comparison.
 */
export function guardRequests(deps: RequestGuardDeps, next: RequestListener): RequestListener {
  const { rateLimiter, maxBodyBytes, trust, count } = deps;
  return (req, res) => {
    const problem = requestHeadProblem(req);
    if (problem !== undefined) {
      count('bad_request');
      sendJson(res, 400, { error: 'bad_request', message: problem }, { connection: 'close' });
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

/** The same head checks and rate limit for protocol upgrades (WebSocket), answered on the bare socket. */
export function guardUpgrades(deps: RequestGuardDeps, next: UpgradeListener): UpgradeListener {
  const { rateLimiter, trust, count } = deps;
  return (req, socket, head) => {
    const problem = requestHeadProblem(req) ?? upgradeBodyProblem(req);
    if (problem !== undefined) {
      count('bad_request');
      socket.on('error', () => socket.destroy());
      socket.end(rawJsonResponse(400, 'bad_request', problem));
      return;
    }
    if (rateLimiter !== undefined) {
      const wait = rateLimiter.take(trust.clientAddress(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for']));
      if (wait > 0) {
        count('rate_limited');
        socket.on('error', () => socket.destroy());
        socket.end(rawJsonResponse(429, 'rate_limited', rateLimitedBody(rateLimiter, wait).message, { 'retry-after': String(wait) }));
        return;
      }
    }
    next(req, socket, head);
  };
}

/**
 * An upgrade request with a body is refused: the body is not part of the upgrade that
 * would be forwarded, and a backend reading it would take later bytes on that
 * connection for it. An RFC 6455 handshake never carries one.
 */
function upgradeBodyProblem(req: IncomingMessage): string | undefined {
  const framing = framingOf(req);
  if (framing.kind === 'none') return undefined;
  const how = framing.kind === 'chunked' ? `Transfer-Encoding ${JSON.stringify(framing.coding)}` : `Content-Length ${framing.length}`;
  return `an upgrade request may not carry a body (it has ${how})`;
}

function rateLimitedBody(limiter: ClientRateLimiter, wait: number) {
  const { ratePerSecond, burst } = limiter.config;
  return {
    error: 'rate_limited',
    message: `too many requests from this client: the limit is ${ratePerSecond} per second with bursts of ${burst}; retry in ${wait} s`,
    retry_after_seconds: wait,
  };
}
