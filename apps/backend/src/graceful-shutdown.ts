import type { Server } from 'node:http';

export type DrainResult =
  | { readonly clean: true }
  | { readonly clean: false; /** Requests still running when the deadline cut them off. */ readonly cutRequests: number };

export interface DrainOptions {
  /** How long in-flight requests may take to finish before their connections are destroyed. */
  readonly timeoutMs: number;
  /** Requests being handled right now, reported when the deadline is hit. */
  readonly inFlight: () => number;
}

/**
 * Stops `server` accepting connections and waits until every connection is gone: idle
 * keep-alive sockets are closed at once, busy ones once their response is out (the
 * caller closes them as they go idle, see `closeIdleConnections`). After `timeoutMs`
 * the remaining connections are destroyed and the result says so.
 *
 * Why not just `process.exit`: a balancer in front has requests in flight on this
 * backend; dropping them turns a routine deploy into client-visible errors.
 */
export function drainHttpServer(server: Server, options: DrainOptions): Promise<DrainResult> {
  return new Promise<DrainResult>((resolve) => {
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      const cutRequests = options.inFlight();
      server.closeAllConnections();
      resolve({ clean: false, cutRequests });
    }, options.timeoutMs);
    // The deadline alone must not keep a process alive that has nothing left to do.
    timer.unref();

    server.close(() => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ clean: true });
    });
    server.closeIdleConnections();
  });
}
