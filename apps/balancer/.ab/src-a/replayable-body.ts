import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { BodyCounter } from './body-limit.js';

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

const NONE: RequestBody = { kind: 'none' };
const STREAMED: RequestBody = { kind: 'streamed' };

export function hasNoBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}

/**
 * Reads a small body with a known length; leaves any other body to be streamed. A body
 * of unknown length is counted on its way through when `maxBodyBytes` is not 0 (a
 * declared length was checked against it before).
 */
export async function prepareBody(req: IncomingMessage, maxBodyBytes = 0): Promise<RequestBody> {
  if (hasNoBody(req)) return NONE;
  const length = Number(req.headers['content-length']);
  if (req.headers['transfer-encoding'] !== undefined) {
    return maxBodyBytes === 0 ? STREAMED : { kind: 'streamed', counted: req.pipe(new BodyCounter(maxBodyBytes)) };
  }
  if (!(length <= REPLAYABLE_BODY_LIMIT)) return STREAMED;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return { kind: 'buffered', bytes: Buffer.concat(chunks) };
}

/** The `buffer` option for http-proxy-3: a fresh stream of the held body, the counter, or undefined to pipe the request. */
export function bodyStream(body: RequestBody): Readable | undefined {
  if (body.kind === 'buffered') return Readable.from([body.bytes]);
  return body.kind === 'streamed' ? body.counted : undefined;
}
