import { type AdaptiveDecision, type AdaptiveLatency, type AdaptiveThresholds, decideAdaptive, inFlightOf, type Server, weightOf } from '@lbpoc/algorithms';
import type { AdaptiveRule, AdaptiveView, LatencySignal, LoadSignal } from './status-types.js';

/**
 * What the adaptive selector would decide on `servers` (the pool's eligible snapshot) and
 * on which signals: the share of backends with a fresh load report and the spread of its
 * latency averages (its load-aware rules, from `decision`, `Adaptive.explain`), then the
 * busiest and least busy backend by requests in flight per unit of weight and their gap
 * (the seed tree). Without `decision` only the seed tree is shown, as `decideAdaptive`
 * decides it. The page shows why, not only what.
 */
export function adaptiveView(
  servers: readonly Server[],
  thresholds: AdaptiveThresholds,
  lastUsed: string,
  decisionsPerSecond: Readonly<Record<string, number>>,
  decision?: AdaptiveDecision,
): AdaptiveView {
  let busiest: LoadSignal | null = null;
  let leastBusy: LoadSignal | null = null;
  let firstWeight = 0;
  let unequal = false;
  let eligible = 0;
  for (const server of servers) {
    const weight = weightOf(server);
    if (weight === 0) continue;
    eligible++;
    const signal = { id: server.id, in_flight: inFlightOf(server), weight, load: inFlightOf(server) / weight };
    if (busiest === null || signal.load > busiest.load) busiest = signal;
    if (leastBusy === null || signal.load < leastBusy.load) leastBusy = signal;
    if (firstWeight === 0) firstWeight = weight;
    else if (weight !== firstWeight) unequal = true;
  }
  const gap = busiest !== null && leastBusy !== null ? busiest.load - leastBusy.load : null;
  let rule: AdaptiveRule;
  if (busiest === null) rule = 'no_backend';
  else if (decision !== undefined && (decision.rule === 'reports' || decision.rule === 'latency_spread')) rule = decision.rule;
  else if (busiest.load >= thresholds.highLoad) rule = 'high_load';
  else if (gap! >= thresholds.imbalance) rule = 'imbalance';
  else rule = unequal ? 'unequal_weights' : 'equal_weights';
  return {
    choice: busiest === null ? null : (decision?.choice ?? decideAdaptive(servers, thresholds)),
    rule,
    last_used: lastUsed,
    busiest,
    least_busy: leastBusy,
    gap,
    reports: { fresh: decision?.reported ?? 0, eligible },
    slowest: latencySignal(decision?.slowest),
    fastest: latencySignal(decision?.fastest),
    latency_spread: decision?.latencySpread ?? null,
    thresholds: {
      high_load: thresholds.highLoad,
      imbalance: thresholds.imbalance,
      report_coverage: thresholds.reportCoverage,
      report_max_age_ms: thresholds.reportMaxAge,
      latency_spread: thresholds.latencySpread,
      latency_min_samples: thresholds.latencyMinSamples,
    },
    decisions_per_s: decisionsPerSecond,
  };
}

function latencySignal(value: AdaptiveLatency | undefined): LatencySignal | null {
  return value === undefined ? null : { id: value.id, latency_ms: value.latency, samples: value.samples };
}
