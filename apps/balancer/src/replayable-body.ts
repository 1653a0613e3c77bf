import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { BodyCounter } from './body-limit.js';
import type { BodyFraming } from './request-framing.js';

/** Bodies up to this size are held in memory so that a failed attempt can be retried elsewhere. */
export const REPLAYABLE_BODY_LIMIT = 64 * 1024;

/**
 * A request body that can be sent more than once: `none` (no body, so any attempt can
 * re-pipe the ended request), `buffered` (small, read into memory first), or
 * `streamed` (large or of unknown length: it goes straight through and cannot be retried;
 * `counted` when its length is unknown and `MAX_BODY_BYTES` applies).
 */
export type RequestBody =
  | { readonly kind: 'none' }
  | { readonly kind: 'buffered'; readonly bytes: Buffer }
  | { readonly kind: 'streamed'; readonly counted?: BodyCounter };

export const NO_BODY: RequestBody = { kind: 'none' };
const STREAMED: RequestBody = { kind: 'streamed' };

/**
 * Reads a small body with a known length; leaves any other body to be streamed. A body
 * of unknown length is counted on its way through when `maxBodyBytes` is not 0 (a
 * declared length was checked against it before). `framing` is node's reading of the
 * request, never the headers as they stand after hop-by-hop removal.
 */
export async function prepareBody(req: IncomingMessage, framing: BodyFraming, maxBodyBytes = 0): Promise<RequestBody> {
  if (framing.kind === 'none') return NO_BODY;
  if (framing.kind === 'chunked') {
    return maxBodyBytes === 0 ? STREAMED : { kind: 'streamed', counted: req.pipe(new BodyCounter(maxBodyBytes)) };
  }
  if (framing.length > REPLAYABLE_BODY_LIMIT) return STREAMED;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return { kind: 'buffered', bytes: Buffer.concat(chunks) };
}

/** The `buffer` option for http-proxy-3: a fresh stream of the held body, the counter, or undefined to pipe the request. */
export function bodyStream(body: RequestBody): Readable | undefined {
  if (body.kind === 'buffered') return Readable.from([body.bytes]);
  return body.kind === 'streamed' ? body.counted : undefined;
}

/** The length of the body as the balancer will send it, when it holds it whole. */
export function heldLength(body: RequestBody): number | undefined {
  return body.kind === 'buffered' ? body.bytes.length : undefined;
}
