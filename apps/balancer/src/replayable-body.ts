import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

/** Bodies up to this size are held in memory so that a failed attempt can be retried elsewhere. */
export const REPLAYABLE_BODY_LIMIT = 64 * 1024;

/**
 * A request body that can be sent more than once: `none` (no body, so any attempt can
 * re-pipe the ended request), `buffered` (small, read into memory first), or
 * `streamed` (large or of unknown length: it goes straight through and cannot be retried).
 */
export type RequestBody = { readonly kind: 'none' } | { readonly kind: 'buffered'; readonly bytes: Buffer } | { readonly kind: 'streamed' };

const NONE: RequestBody = { kind: 'none' };
const STREAMED: RequestBody = { kind: 'streamed' };

export function hasNoBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}

/** Reads a small body with a known length; leaves any other body to be streamed. */
export async function prepareBody(req: IncomingMessage): Promise<RequestBody> {
  if (hasNoBody(req)) return NONE;
  const length = Number(req.headers['content-length']);
  if (req.headers['transfer-encoding'] !== undefined || !(length <= REPLAYABLE_BODY_LIMIT)) return STREAMED;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return { kind: 'buffered', bytes: Buffer.concat(chunks) };
}

/** The `buffer` option for http-proxy-3: a fresh stream of the held body, or undefined to pipe the request. */
export function bodyStream(body: RequestBody): Readable | undefined {
  return body.kind === 'buffered' ? Readable.from([body.bytes]) : undefined;
}
