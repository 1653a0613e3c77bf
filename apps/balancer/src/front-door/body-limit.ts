import type { IncomingMessage } from 'node:http';
import { Transform, type TransformCallback, type Writable } from 'node:stream';

/** A request body went over `MAX_BODY_BYTES` while it was being forwarded. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  readonly code = 'ERR_BODY_TOO_LARGE';
  constructor(readonly limit: number) {
    super(`the request body is larger than ${limit} bytes (MAX_BODY_BYTES)`);
  }
}

/**
 * True when the request announces a body longer than `limit`: answered 413 before any
 * byte of it is read. Only a length node's parser accepted gets here, and node holds the
 * body to that length, so such a body cannot grow past what it declared.
 */
export function declaresTooLarge(req: IncomingMessage, limit: number): boolean {
  const declared = req.headers['content-length'];
  return declared !== undefined && Number(declared) > limit;
}

/**
 * A pass-through for bodies of unknown length (chunked): counts bytes on their way to
 * the backend and, past `limit`, stops forwarding and destroys what it is piped into
 * with a `BodyTooLargeError`; the upstream request reading that stream fails with it,
 * and the client gets 413. The upstream request is cut without its last chunk, so the
 * backend never takes the part that went through for a whole body.
 */
export class BodyCounter extends Transform {
  private seen = 0;
  private destination: Writable | undefined;
  private exceeded = false;

  constructor(readonly limit: number) {
    super();
  }

  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    this.destination = destination as unknown as Writable;
    // Should the whole body arrive before this is piped onward, the limit is already
    // passed and not one byte of the body may leave.
    if (this.exceeded) {
      process.nextTick(() => this.destination?.destroy(new BodyTooLargeError(this.limit)));
      return destination;
    }
    return super.pipe(destination, options);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen <= this.limit) {
      callback(null, chunk);
      return;
    }
    if (!this.exceeded) {
      this.exceeded = true;
      this.destination?.destroy(new BodyTooLargeError(this.limit));
    }
    callback(); // the rest is read and dropped, so the client is not stalled before its 413
  }
}
