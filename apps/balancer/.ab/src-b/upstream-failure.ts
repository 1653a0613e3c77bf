import type { RequestOutcome } from '@lbpoc/registry';

/** Raised by the balancer itself when a backend sends nothing for `UPSTREAM_TIMEOUT_MS`. */
export class UpstreamTimeoutError extends Error {
  override readonly name = 'UpstreamTimeoutError';
  readonly code = 'EUPSTREAM_TIMEOUT';
}

/** Errors that happen before a connection exists: the backend cannot have seen the request. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNECT_TIMEOUT', 'EADDRNOTAVAIL']);

/** What a proxy error means for the client, the backend's health and a retry. */
export interface UpstreamFailure {
  readonly outcome: RequestOutcome;
  /** The backend cannot have processed the request: a retry is safe for any method. */
  readonly neverReachedBackend: boolean;
  /** Answer to give the client when there is no retry. */
  readonly status: 502 | 504;
  readonly error: 'bad_gateway' | 'gateway_timeout';
  readonly code: string;
}

export function classifyUpstreamError(error: Error & { code?: string }): UpstreamFailure {
  const code = error.code ?? 'UNKNOWN';
  if (error instanceof UpstreamTimeoutError) {
    return { outcome: 'timeout', neverReachedBackend: false, status: 504, error: 'gateway_timeout', code };
  }
  if (NOT_CONNECTED.has(code)) {
    return { outcome: 'connect_failure', neverReachedBackend: true, status: 502, error: 'bad_gateway', code };
  }
  // ECONNRESET, EPIPE, "socket hang up": the connection broke after the request may have been sent.
  return { outcome: 'connect_failure', neverReachedBackend: false, status: 502, error: 'bad_gateway', code };
}

/** Methods that RFC 9110 defines as idempotent: repeating them is safe. */
export function isIdempotent(method: string | undefined): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'PUT' || method === 'DELETE' || method === 'TRACE';
}
