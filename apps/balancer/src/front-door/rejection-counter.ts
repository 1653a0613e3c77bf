import type { RejectionReason } from '@lbpoc/metrics';

/**
 * Counts one request (or connection) the balancer refused itself, by its
 * `lbpoc_rejected_requests_total{reason}`: a value of @lbpoc/metrics' `REJECTION_REASONS`.
 */
export type RejectionCounter = (reason: RejectionReason) => void;
