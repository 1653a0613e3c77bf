/**
 * Values of `lbpoc_rejected_requests_total{reason}`: requests (or connections) the
 * balancer refused itself, before any backend was chosen, and WebSockets it closed for
 * being idle. A closed set, so the metric's series stay bounded; documented in
 * `@lbpoc/metrics`' README (a test holds the two together).
 */
export const REJECTION_REASONS = [
  'unknown_algorithm',
  'rate_limited',
  'body_too_large',
  'headers_too_large',
  'request_timeout',
  'bad_request',
  'too_many_connections',
  'too_many_connections_per_client',
  'websocket_idle',
] as const;

export type RejectionReason = (typeof REJECTION_REASONS)[number];

export type RejectionCounter = (reason: RejectionReason) => void;
