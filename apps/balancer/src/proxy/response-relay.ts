import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { clientResponseHeaders } from './upstream-headers.js';

type Controller = Dispatcher.DispatchController;

/** What the request path learns from one attempt's relay. */
export interface RelayEvents {
  /** The backend's status line and headers arrived: its time to first byte. */
  responseStarted(): void;
  /** The backend's response carried its load report (`endpoint-load-metrics`), unparsed. */
  loadReported(value: string): void;
  /**
   * The attempt failed. Before the response began (`res.headersSent` false) the caller may
   * answer or retry; after, the client's response has been cut.
   */
  failed(error: Error): void;
}

/** No response head from the backend within `UPSTREAM_TIMEOUT_MS` (the balancer's own, precise timer). */
export class UpstreamTimeoutError extends Error {
  override readonly name = 'UpstreamTimeoutError';
  readonly code = 'EUPSTREAM_TIMEOUT';
}

/** The client went away: the upstream request is abandoned, nobody is to blame. */
export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
  readonly code = 'ECLIENTGONE';
}

/**
 * One attempt's undici dispatch handler: relays the backend's response to the client as
 * it arrives. Status and headers go out in one `writeHead` (the backend's raw header bytes
 * and case, less hop-by-hop ones, after the balancer's own `ownHeaders`); body chunks are
 * written as they come, and the backend is paused while the client's socket is full.
 */
export class ResponseRelay implements Dispatcher.DispatchHandler {
  private controller: Controller | undefined;
  private waitingForDrain = false;
  private deadline: NodeJS.Timeout | undefined;
  private readonly resume = () => {
    this.waitingForDrain = false;
    this.controller?.resume();
  };

  constructor(
    private readonly res: ServerResponse,
    private readonly ownHeaders: readonly string[],
    private readonly events: RelayEvents,
    /** A precise limit on the wait for the response head, in ms; undefined: undici's own (coarse) one applies. */
    private readonly headDeadlineMs?: number,
  ) {}

  /** Gives up on the attempt (client gone, shutdown): undici closes the backend connection. */
  abort(reason: Error): void {
    this.controller?.abort(reason);
  }

  onRequestStart(controller: Controller): void {
    this.controller = controller;
    const ms = this.headDeadlineMs;
    if (ms !== undefined) this.deadline = setTimeout(() => controller.abort(new UpstreamTimeoutError(`no response within ${ms} ms`)), ms);
  }

  onResponseStart(controller: Controller, statusCode: number, headers: Record<string, string | string[] | undefined>, statusMessage?: string): void {
    clearTimeout(this.deadline);
    this.events.responseStarted();
    const raw = controller.rawHeaders;
    const list = clientResponseHeaders(Array.isArray(raw) ? raw : flatten(headers), [...this.ownHeaders], this.events.loadReported);
    try {
      if (statusMessage) this.res.writeHead(statusCode, statusMessage, list);
      else this.res.writeHead(statusCode, list);
    } catch (error) {
      // A header or status text node will not write (a hostile or broken backend): the
      // attempt fails as a bad gateway, before a byte reached the client.
      controller.abort(new InvalidUpstreamResponseError((error as Error).message));
    }
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    if (this.res.write(chunk) || this.waitingForDrain) return;
    this.waitingForDrain = true;
    controller.pause();
    this.res.once('drain', this.resume);
  }

  onResponseEnd(): void {
    this.res.end();
  }

  onResponseError(_controller: Controller | null, error: Error): void {
    clearTimeout(this.deadline);
    if (this.waitingForDrain) this.res.off('drain', this.resume);
    this.events.failed(error);
  }
}

/** The backend sent a response node cannot pass on (a header value with a forbidden character). */
export class InvalidUpstreamResponseError extends Error {
  override readonly name = 'InvalidUpstreamResponseError';
  readonly code = 'EINVALID_UPSTREAM_RESPONSE';
}

function flatten(headers: Record<string, string | string[] | undefined>): string[] {
  const list: string[] = [];
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    if (typeof value === 'string') list.push(name, value);
    else for (const item of value) list.push(name, item);
  }
  return list;
}
