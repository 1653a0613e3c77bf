import type { LoadReport, Server } from '../types.js';

/**
 * The server's load report if its in-flight count can be used at `now`: present, well
 * formed (a finite `receivedAt`, an in-flight count that is a finite number >= 0; NaN
 * means the backend does not report one) and at most `maxAge` old. A report stamped in
 * the future (a clock mix-up) counts as age 0 rather than as stale.
 */
export function freshReport(server: Server, now: number, maxAge: number): LoadReport | undefined {
  const report = server.load;
  if (report === undefined || !isWellFormed(report)) return undefined;
  return reportAge(report, now) <= maxAge ? report : undefined;
}

/** How old `report` is at `now`, never negative. */
export function reportAge(report: LoadReport, now: number): number {
  return Math.max(0, now - report.receivedAt);
}

/** A report whose in-flight count can be read: finite `receivedAt`, finite non-negative `inFlight`. */
export function isWellFormed(report: LoadReport): boolean {
  return Number.isFinite(report.receivedAt) && report.inFlight >= 0 && Number.isFinite(report.inFlight);
}

/**
 * `value` if it is a finite number >= 0, else NaN: optional report fields pass through it.
 * NaN rather than undefined for "missing", so the result stays a plain double (a
 * `number | undefined` result can cost an allocation per call on the hot path).
 */
export function nonNegative(value: number | undefined): number {
  return value !== undefined && value >= 0 && value < Number.POSITIVE_INFINITY ? value : Number.NaN;
}
