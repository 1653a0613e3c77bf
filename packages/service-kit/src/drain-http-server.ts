import type { Server } from 'node:http';

export type DrainResult =
  | { readonly clean: true }
  | { readonly clean: false /** Requests still running when the deadline cut them off. */; readonly cutRequests: number };

export interface DrainOptions {
  /** How long in-flight requests may take to finish before their connections are destroyed. */
  readonly timeoutMs: number;
  /** Requests being handled right now, reported when the deadline is hit. Default: none known (0). */
  readonly inFlight?: () => number;
}

/** How often idle keep-alive connections are looked for while draining. */
const IDLE_SWEEP_MS = 100;

/**
 * Stops `server` accepting connections and waits until every connection is gone. Idle
 * keep-alive connections are closed at once, and busy ones as soon as they go idle (their
 * response is out; checked every 100 ms). After `timeoutMs` the remaining connections are
 * destroyed and the result says so. Works for `node:http` and `node:https` servers.
 *
 * Why not just exit: a balancer (or a client) has requests in flight on this server;
 * dropping them turns a routine deploy into client-visible errors.
 */
export function drainHttpServer(server: Pick<Server, 'close' | 'closeIdleConnections' | 'closeAllConnections'>, options: DrainOptions): Promise<DrainResult> {
  return new Promise<DrainResult>((resolve) => {
    let settled = false;
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const deadline = setTimeout(() => {
      if (settled) return;
      settled = true;
      clearInterval(sweep);
      const cutRequests = options.inFlight?.() ?? 0;
      server.closeAllConnections();
      resolve({ clean: false, cutRequests });
    }, options.timeoutMs);
    // The timers alone must not keep a process alive that has nothing left to do.
    sweep.unref();
    deadline.unref();

    server.close(() => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearInterval(sweep);
      resolve({ clean: true });
    });
    server.closeIdleConnections();
  });
}
