import { type AdaptiveThresholds, decideAdaptive, inFlightOf, type Server, weightOf } from '@lbpoc/algorithms';
import type { AdaptiveRule, AdaptiveView, LoadSignal } from './status-types.js';

/**
 * What the adaptive selector would decide on `servers` (the pool's eligible snapshot) and
 * on which signals: the busiest and least busy backend by requests in flight per unit of
 * weight, their gap, against its thresholds. The rule mirrors `decideAdaptive` (whose own
 * answer is the `choice`), so the page shows why, not only what.
 */
export function adaptiveView(
  servers: readonly Server[],
  thresholds: AdaptiveThresholds,
  lastUsed: string,
  decisionsPerSecond: Readonly<Record<string, number>>,
): AdaptiveView {
  let busiest: LoadSignal | null = null;
  let leastBusy: LoadSignal | null = null;
  let firstWeight = 0;
  let unequal = false;
  for (const server of servers) {
    const weight = weightOf(server);
    if (weight === 0) continue;
    const signal = { id: server.id, in_flight: inFlightOf(server), weight, load: inFlightOf(server) / weight };
    if (busiest === null || signal.load > busiest.load) busiest = signal;
    if (leastBusy === null || signal.load < leastBusy.load) leastBusy = signal;
    if (firstWeight === 0) firstWeight = weight;
    else if (weight !== firstWeight) unequal = true;
  }
  const gap = busiest !== null && leastBusy !== null ? busiest.load - leastBusy.load : null;
  let rule: AdaptiveRule;
  if (busiest === null) rule = 'no_backend';
  else if (busiest.load >= thresholds.highLoad) rule = 'high_load';
  else if (gap! >= thresholds.imbalance) rule = 'imbalance';
  else rule = unequal ? 'unequal_weights' : 'equal_weights';
  return {
    choice: busiest === null ? null : decideAdaptive(servers, thresholds),
    rule,
    last_used: lastUsed,
    busiest,
    least_busy: leastBusy,
    gap,
    thresholds: { high_load: thresholds.highLoad, imbalance: thresholds.imbalance },
    decisions_per_s: decisionsPerSecond,
  };
}
