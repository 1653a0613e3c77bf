import type { IncomingMessage } from 'node:http';
import { type TrustedProxies, unmapIpv4 } from '../clients/trusted-proxies.js';

/** Hop-by-hop headers (RFC 9110 section 7.6.1) that describe the client's connection, not the request. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'te', 'upgrade', 'proxy-authorization'];

/**
 * Headers a client may list in `Connection` without effect. Framing (Content-Length,
 * Transfer-Encoding) is the balancer's to set (request-framing.ts), Host names the site
 * the client asked for, and the X-Forwarded-* and X-Request-Id headers are the
 * balancer's own: removing any of them would let a client change how the backend reads
 * the bytes or who it believes sent them.
 */
const NOT_REMOVABLE = new Set(['content-length', 'transfer-encoding', 'host', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-request-id']);

/**
 * Other headers by which a client describes its own address or the path it came through.
 * Only a trusted proxy may say such things; from anyone else they are dropped, so a
 * backend that reads them (many frameworks do) cannot be told a made-up client address.
 */
const CLIENT_CLAIMS = ['forwarded', 'x-real-ip', 'x-client-ip', 'x-forwarded-port', 'x-forwarded-prefix'];

/**
 * Rewrites the request headers for the backend: drops hop-by-hop headers (the backend
 * connection is ours, kept alive), sets X-Request-Id, and appends this hop to
 * X-Forwarded-For / -Proto / -Host. A client that is not a trusted proxy has its own
 * X-Forwarded-* headers replaced, not extended, and its other address claims dropped:
 * only trusted hops may speak for others. Upgrades (WebSocket) keep Connection and Upgrade.
 */
export function setForwardedHeaders(req: IncomingMessage, requestId: string, trust: TrustedProxies, isUpgrade: boolean): void {
  const headers = req.headers;
  if (!isUpgrade) {
    const connection = headers.connection;
    if (typeof connection === 'string') {
      for (const listed of connection.toLowerCase().split(',')) {
        const name = listed.trim();
        if (!NOT_REMOVABLE.has(name)) delete headers[name];
      }
    }
    for (const name of HOP_BY_HOP) delete headers[name];
  }
  const peer = unmapIpv4(req.socket.remoteAddress ?? '');
  const trusted = trust.isTrusted(peer);
  if (!trusted) for (const name of CLIENT_CLAIMS) if (headers[name] !== undefined) delete headers[name];
  const proto = 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
  const priorFor = trusted ? headers['x-forwarded-for'] : undefined;
  headers['x-forwarded-for'] = priorFor ? `${String(priorFor)}, ${peer}` : peer;
  headers['x-forwarded-proto'] = (trusted && typeof headers['x-forwarded-proto'] === 'string' && headers['x-forwarded-proto']) || proto;
  headers['x-forwarded-host'] = (trusted && typeof headers['x-forwarded-host'] === 'string' && headers['x-forwarded-host']) || headers.host || '';
  headers['x-request-id'] = requestId;
}
