import type { IncomingHttpHeaders } from 'node:http';
import { LOAD_REPORT_HEADER } from '@lbpoc/registry';

/**
 * Headers the balancer never passes on as the client sent them: the ones that describe
 * the client's connection (the backend connection is the balancer's, kept alive),
 * `Expect` (node has answered `100-continue` to the client already) and the framing
 * headers, which the balancer sets itself for the body it sends (request-framing.ts).
 * undici refuses most of these outright; the rest would be wrong to forward.
 */
const NOT_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'upgrade',
  'expect',
  'transfer-encoding',
  'content-length',
  'http2-settings',
  'trailer',
]);

/**
 * The request headers for undici, as a flat `[name, value, ...]` list: the client's
 * headers after the balancer's rewriting (forwarded-headers.ts), less NOT_FORWARDED,
 * plus `content-length` when the body's length is known (`undefined`: none, or chunked,
 * which undici frames itself for a streamed body). Repeated headers stay repeated.
 */
export function upstreamHeaders(headers: IncomingHttpHeaders, contentLength: number | undefined): string[] {
  const list: string[] = [];
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || NOT_FORWARDED.has(name)) continue;
    if (typeof value === 'string') list.push(name, value);
    else for (const item of value) list.push(name, item);
  }
  if (contentLength !== undefined) list.push('content-length', String(contentLength));
  return list;
}

/**
 * Response headers not passed to the client: hop-by-hop ones describe the pooled backend
 * connection, and node frames the response to the client itself (its own
 * `Transfer-Encoding` or none, by the client's HTTP version), keeping `Content-Length`.
 * The balancer's own response headers are its to set: a backend cannot claim another
 * request id or backend.
 */
const NOT_RELAYED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'x-request-id',
  'x-lbpoc-backend',
  'x-lbpoc-algorithm',
  // The backend's load report is for the balancer (load-aware algorithms), not the client.
  LOAD_REPORT_HEADER,
]);

/**
 * The backend's raw response headers (undici's `rawHeaders`: name, value, ... as bytes)
 * appended to `into` as a flat list for `res.writeHead`, byte for byte (latin1, as node
 * writes them back), with their original case and repetitions (several `Set-Cookie`);
 * NOT_RELAYED ones and any the backend's own `Connection` lists are left out. The
 * backend's load report (`endpoint-load-metrics`) goes to `onLoadReport` instead.
 */
export function clientResponseHeaders(raw: readonly (Buffer | string)[], into: string[], onLoadReport?: (value: string) => void): string[] {
  let listed: string[] | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = latin1(raw[i]!);
    if (name.length === 10 && name.toLowerCase() === 'connection') {
      for (const token of latin1(raw[i + 1]!).split(',')) (listed ??= []).push(token.trim().toLowerCase());
    }
  }
  for (let i = 0; i < raw.length; i += 2) {
    const name = latin1(raw[i]!);
    const lower = name.toLowerCase();
    if (lower === LOAD_REPORT_HEADER) onLoadReport?.(latin1(raw[i + 1]!));
    if (NOT_RELAYED.has(lower) || listed?.includes(lower)) continue;
    into.push(name, latin1(raw[i + 1]!));
  }
  return into;
}

function latin1(value: Buffer | string): string {
  return typeof value === 'string' ? value : value.toString('latin1');
}
