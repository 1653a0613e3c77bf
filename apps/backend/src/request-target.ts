import type { IncomingMessage } from 'node:http';

export interface RequestTarget {
  /** The path without the query string, as the client sent it. */
  readonly path: string;
  /** The query string without `?`, or `""`. */
  readonly query: string;
  readonly params: URLSearchParams;
}

/**
 * Splits the request target into path and query. Does not normalise the path (no
 * decoding, no `..` resolution): the echo shows exactly what arrived, which is what a
 * test of the balancer's forwarding needs to see.
 */
export function requestTarget(req: IncomingMessage): RequestTarget {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : url.slice(queryAt + 1);
  return { path, query, params: new URLSearchParams(query) };
}

/** The `x-request-id` the client (or the balancer) sent, or null. */
export function requestId(req: IncomingMessage): string | null {
  const value = req.headers['x-request-id'];
  return typeof value === 'string' && value !== '' ? value : null;
}
