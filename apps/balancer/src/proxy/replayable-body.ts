import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import { BodyCounter } from '../front-door/body-limit.js';
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
  | { readonly kind: 'streamed'; readonly counted?: Readable };

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
    // The counter keeps reading (and dropping) past the limit so the client is not stalled
    // before its 413; what goes upstream is the stream after it, which it fails at the limit.
    if (maxBodyBytes === 0) return STREAMED;
    const counted = req.pipe(new BodyCounter(maxBodyBytes)).pipe(new PassThrough());
    // Its error reaches the upstream request through undici's own listener; this one keeps
    // an error after that request has already ended from becoming an uncaught exception.
    counted.on('error', () => {});
    return { kind: 'streamed', counted };
  }
  if (framing.length > REPLAYABLE_BODY_LIMIT) return STREAMED;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return { kind: 'buffered', bytes: Buffer.concat(chunks) };
}

/** The body held in memory (sent as is, and again on a retry), if it is. */
export function heldBody(body: RequestBody): Buffer | undefined {
  return body.kind === 'buffered' ? body.bytes : undefined;
}
