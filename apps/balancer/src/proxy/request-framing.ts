import type { IncomingMessage } from 'node:http';

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
