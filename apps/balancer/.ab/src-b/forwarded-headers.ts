import type { IncomingMessage } from 'node:http';
import { type TrustedProxies, unmapIpv4 } from './trusted-proxies.js';

/** Hop-by-hop headers (RFC 9110 section 7.6.1) that describe the client's connection, not the request. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'te', 'upgrade', 'proxy-authorization'];

/**
 * Rewrites the request headers for the backend: drops hop-by-hop headers (the backend
 * connection is ours, kept alive), sets X-Request-Id, and appends this hop to
 * X-Forwarded-For / -Proto / -Host. A client that is not a trusted proxy has its own
 * X-Forwarded-* headers replaced, not extended: only trusted hops may speak for others.
 * Upgrades (WebSocket) keep Connection and Upgrade.
 */
export function setForwardedHeaders(req: IncomingMessage, requestId: string, trust: TrustedProxies, isUpgrade: boolean): void {
  const headers = req.headers;
  if (!isUpgrade) {
    const listed = typeof headers.connection === 'string' ? headers.connection.toLowerCase().split(',') : [];
    for (const name of listed) delete headers[name.trim()];
    for (const name of HOP_BY_HOP) delete headers[name];
  }
  const peer = unmapIpv4(req.socket.remoteAddress ?? '');
  const trusted = trust.isTrusted(peer);
  const proto = 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
  const priorFor = trusted ? headers['x-forwarded-for'] : undefined;
  headers['x-forwarded-for'] = priorFor ? `${String(priorFor)}, ${peer}` : peer;
  headers['x-forwarded-proto'] = (trusted && typeof headers['x-forwarded-proto'] === 'string' && headers['x-forwarded-proto']) || proto;
  headers['x-forwarded-host'] = (trusted && typeof headers['x-forwarded-host'] === 'string' && headers['x-forwarded-host']) || headers.host || '';
  headers['x-request-id'] = requestId;
}
