import type { LoadReport } from '../types.js';
import { nonNegative } from './load-report.js';

/**
 * gRPC A58's weight of a backend from what it reports: qps / (utilization + penalty x
 * eps / qps). The more requests a backend completes per unit of utilization, the more it
 * can take, whatever its size and whatever else loads it; errors served fast (a backend
 * that fails cheaply) are charged as extra utilization so they do not attract traffic.
 * Returns 0 (no usable weight) when qps or utilization is missing, zero or not a finite
 * number >= 0, as A58 does: a backend that served nothing says nothing of its capacity.
 *
 * `qps` is passed separately because it may come from the report or from the balancer's
 * own count (see `DynamicWeightsOptions.qpsSource`).
 */
export function reportedWeight(report: LoadReport, qps: number | undefined, errorUtilizationPenalty: number): number {
  const rate = nonNegative(qps);
  const utilization = nonNegative(report.utilization);
  if (!(rate > 0 && utilization > 0)) return 0; // NaN (missing or malformed) fails too
  const eps = nonNegative(report.eps);
  const errors = Number.isNaN(eps) ? 0 : eps; // not Math.max: max(NaN, 0) is NaN
  const weight = rate / (utilization + (errors / rate) * errorUtilizationPenalty);
  return weight < Number.POSITIVE_INFINITY ? weight : 0;
}
