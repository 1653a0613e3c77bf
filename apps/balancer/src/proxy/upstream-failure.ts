import type { RetryReason } from '@lbpoc/metrics';
import type { RequestOutcome } from '@lbpoc/registry';

/** Errors that happen before a connection exists: the backend cannot have seen the request. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EADDRNOTAVAIL']);

/** No byte from the backend in time: before the response (headers) or between its chunks (body). */
const TIMED_OUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'EUPSTREAM_TIMEOUT']);

/**
 * Failures of the balancer's own making: undici refused to send what it was given (an
 * argument it does not accept), or a bug. The backend never saw the request.
 */
const INTERNAL = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED', 'ERR_INVALID_ARG_TYPE']);

/** What a proxy error means for the client, the backend's health and a retry. */
export interface UpstreamFailure {
  readonly outcome: RequestOutcome;
  /** The backend cannot have processed the request: a retry is safe for any method. */
  readonly neverReachedBackend: boolean;
  /** Answer to give the client when there is no retry. */
  readonly status: 502 | 504;
  readonly error: 'bad_gateway' | 'gateway_timeout';
  readonly code: string;
  /** The balancer's own fault: answer 500, blame no backend, do not retry. */
  readonly internal: boolean;
}

/** The `lbpoc_retries_total{reason}` of a retried failure, from @lbpoc/metrics' `RETRY_REASONS` (the error code itself is unbounded). */
export function retryReasonOf(failure: UpstreamFailure): RetryReason {
  return failure.neverReachedBackend ? 'connect_failure' : 'reset';
}

export function classifyUpstreamError(error: Error & { code?: string }): UpstreamFailure {
  const code = error.code ?? 'UNKNOWN';
  if (TIMED_OUT.has(code)) {
    return { outcome: 'timeout', neverReachedBackend: false, status: 504, error: 'gateway_timeout', code, internal: false };
  }
  if (NOT_CONNECTED.has(code)) {
    return { outcome: 'connect_failure', neverReachedBackend: true, status: 502, error: 'bad_gateway', code, internal: false };
  }
  if (INTERNAL.has(code)) {
    return { outcome: 'connect_failure', neverReachedBackend: true, status: 502, error: 'bad_gateway', code, internal: true };
  }
  // UND_ERR_SOCKET (the backend closed or reset), EPIPE, a response node will not relay:
  // the connection broke after the request may have been sent.
  return { outcome: 'connect_failure', neverReachedBackend: false, status: 502, error: 'bad_gateway', code, internal: false };
}

/** Methods that RFC 9110 defines as idempotent: repeating them is safe. */
export function isIdempotent(method: string | undefined): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'PUT' || method === 'DELETE' || method === 'TRACE';
}
