/**
 * Histogram bucket bounds, in seconds, for request latency. They start at 0.5 ms so the
 * balancer's own overhead on a fast local backend is visible (a proxy hop is typically
 * well under a millisecond), and end at 10 s so a slow or simulated-delay backend still
 * lands in a finite bucket. Roughly 1-2.5-5 steps keep quantile estimates within a
 * factor of about two while holding the series count per label set at 15.
 */
export const LATENCY_BUCKETS: readonly number[] = Object.freeze([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
