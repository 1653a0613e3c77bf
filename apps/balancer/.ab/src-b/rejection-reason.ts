/**
 * Values of `lbpoc_rejected_requests_total{reason}`: requests (or connections) the
 * balancer refused itself, before any backend was chosen. A closed set, so the metric's
 * series stay bounded.
 */
export type RejectionReason =
  | 'unknown_algorithm'
  | 'rate_limited'
  | 'body_too_large'
  | 'headers_too_large'
  | 'request_timeout'
  | 'bad_request'
  | 'too_many_connections';

export type RejectionCounter = (reason: RejectionReason) => void;
