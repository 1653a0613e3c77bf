import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/**
 * How the client framed its request body, as node's parser read it: no body, a
 * `Content-Length`, or chunked (the Transfer-Encoding value, which ends in `chunked`:
 * front-door/request-head-check.ts refuses any other). Taken before any header is
 * touched, so nothing the client lists in `Connection` can change it.
 */
export type BodyFraming =
  | { readonly kind: 'none'; readonly declaredZero: boolean }
  | { readonly kind: 'length'; readonly length: number }
  | { readonly kind: 'chunked'; readonly coding: string };

const NO_BODY: BodyFraming = { kind: 'none', declaredZero: false };
const ZERO_LENGTH: BodyFraming = { kind: 'none', declaredZero: true };

/**
 * node's parser takes Transfer-Encoding over Content-Length and refuses a request with
 * both, so at most one of them describes the body it delivers.
 */
export function framingOf(req: IncomingMessage): BodyFraming {
  const coding = req.headers['transfer-encoding'];
  if (coding !== undefined) return { kind: 'chunked', coding };
  const declared = req.headers['content-length'];
  if (declared === undefined) return NO_BODY;
  const length = Number(declared);
  return length === 0 ? ZERO_LENGTH : { kind: 'length', length };
}

/**
 * Sets the framing of the request the balancer sends upstream, for exactly the body it
 * forwards: `bodyLength` when the body is held in memory, else the client's own framing
 * (node re-encodes chunks itself when the headers say chunked; a declared length is
 * what node's parser delivers, no more). Nothing of the client's framing headers is
 * taken on trust: both are set or removed here, last, just before the request goes out.
 */
export function setUpstreamFraming(headers: IncomingHttpHeaders, framing: BodyFraming, bodyLength: number | undefined): void {
  // delete, not undefined: node:http refuses a request header whose value is undefined.
  delete headers['transfer-encoding'];
  delete headers['content-length'];
  if (bodyLength !== undefined) headers['content-length'] = String(bodyLength);
  else if (framing.kind === 'length') headers['content-length'] = String(framing.length);
  else if (framing.kind === 'chunked') headers['transfer-encoding'] = framing.coding;
  else if (framing.declaredZero) headers['content-length'] = '0';
}
