import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../json-response.js';
import { SECURITY_HEADERS } from './security-headers.js';

export interface EventStreamLimits {
  /** Open streams at most; one more is answered 503. */
  readonly maxViewers: number;
  /** Bytes a viewer may leave unread (beyond what the kernel holds) before it is dropped. */
  readonly maxBufferedBytes: number;
}

/**
 * The status page's server-sent events: a bounded set of viewers, each sent the same
 * serialized event (one `JSON.stringify` per tick, whatever the number of viewers). A
 * viewer that does not read is dropped, not buffered for: once more than
 * `maxBufferedBytes` wait in its socket's buffer, it is destroyed (its browser reconnects
 * on its own, and starts again from a fresh first event).
 */
export class EventStream {
  /** Each viewer with the bytes it may leave unread: the limit, plus its first event while that goes out. */
  private readonly viewers = new Map<ServerResponse, number>();
  /** Viewers dropped for not reading, since start. */
  dropped = 0;

  constructor(private readonly limits: EventStreamLimits) {}

  get count(): number {
    return this.viewers.size;
  }

  get max(): number {
    return this.limits.maxViewers;
  }

  /** Opens a stream, sending `first()` (an event frame) at once; or refuses with 503 when full. */
  open(req: IncomingMessage, res: ServerResponse, first: () => string): void {
    if (this.viewers.size >= this.limits.maxViewers) {
      req.resume();
      sendJson(
        res,
        503,
        {
          error: 'too_many_viewers',
          message: `the status page has ${this.limits.maxViewers} viewers already (the most it serves); try again later`,
          max: this.limits.maxViewers,
        },
        { ...SECURITY_HEADERS, 'retry-after': '10', 'cache-control': 'no-store' },
      );
      return;
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // A reverse proxy in front of the admin port (nginx) would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    req.socket.setNoDelay(true);
    // `retry`: how long a browser waits before reconnecting when the stream ends.
    const opening = `retry: 2000\n\n${first()}`;
    this.viewers.set(res, this.limits.maxBufferedBytes + Buffer.byteLength(opening));
    res.on('close', () => this.viewers.delete(res));
    res.write(opening);
  }

  /** Sends one event to every viewer; drops those too far behind. */
  send(frame: string): void {
    for (const [res, allowed] of this.viewers) {
      const waiting = res.writableLength;
      if (waiting > allowed) {
        this.viewers.delete(res);
        this.dropped++;
        res.destroy();
        continue;
      }
      // Once the first event is out, the plain limit applies.
      if (waiting === 0 && allowed !== this.limits.maxBufferedBytes) this.viewers.set(res, this.limits.maxBufferedBytes);
      res.write(frame);
    }
  }

  /**
   * Ends every stream and its connection (shutdown): a stream's connection would otherwise
   * stay open as an idle keep-alive one, holding the admin port's close for its keep-alive time.
   */
  close(): void {
    for (const res of this.viewers.keys()) {
      res.end();
      res.socket?.end();
    }
    this.viewers.clear();
  }
}

/** An SSE frame: `event` names it; `data` is one line of JSON (no newline inside). */
export function eventFrame(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}
