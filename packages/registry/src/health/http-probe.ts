import { type Agent, type ClientRequest, request } from 'node:http';

/** One active check's verdict, and what was seen, for logs and `/backends`. */
export interface HealthProbeResult {
  readonly passed: boolean;
  /** `HTTP 200`, `ECONNREFUSED`, `timeout after 1000 ms`, ... */
  readonly detail: string;
}

export interface HealthProbeTarget {
  readonly host: string;
  readonly port: number;
  readonly path: string;
}

export interface HealthProbeOptions {
  /** A keep-alive agent the caller owns (and destroys on close). */
  readonly agent: Agent;
  /** The whole exchange, headers and body, must finish within this. */
  readonly timeoutMs: number;
  /** Aborts the check (the pool is closing). */
  readonly signal: AbortSignal;
}

/**
 * One HTTP GET of a backend's health path; 2xx passes, anything else fails. Never rejects.
 *
 * node:http rather than fetch: the checker owns its agent and can destroy every socket on
 * close (fetch's shared dispatcher would keep idle sockets the pool cannot reach), and
 * keep-alive spares a new TCP connection per check per backend. A request on a reused
 * socket that the server had just closed (`ECONNRESET` on `reusedSocket`) is retried once
 * on a fresh connection, as the Node docs advise, so idle-timeout races do not count as
 * failures.
 */
export function probeHealth(target: HealthProbeTarget, options: HealthProbeOptions): Promise<HealthProbeResult> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([timeout, options.signal]);
  const describe = (error: unknown): string => {
    if (timeout.aborted) return `timeout after ${options.timeoutMs} ms`;
    if (options.signal.aborted) return 'aborted';
    const code = (error as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
  };
  const attempt = (retry: boolean): Promise<HealthProbeResult> =>
    new Promise((resolve) => {
      let req: ClientRequest | undefined;
      const fail = (error: unknown) => {
        const code = (error as { code?: unknown } | undefined)?.code;
        if (retry && req?.reusedSocket === true && code === 'ECONNRESET' && !signal.aborted) {
          resolve(attempt(false));
        } else {
          resolve({ passed: false, detail: describe(error) });
        }
      };
      req = request(
        {
          host: target.host,
          port: target.port,
          path: target.path,
          method: 'GET',
          agent: options.agent,
          signal,
          headers: { 'user-agent': 'lbpoc-registry-health-check', accept: '*/*' },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          res.on('error', () => {});
          res.on('close', () => {
            if (res.complete) resolve({ passed: status >= 200 && status < 300, detail: `HTTP ${status}` });
            else resolve({ passed: false, detail: describe(new Error(`HTTP ${status}, response body cut short`)) });
          });
          res.resume();
        },
      );
      req.on('error', fail);
      req.end();
    });
  return attempt(true);
}
