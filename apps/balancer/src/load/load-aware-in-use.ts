import type { AlgorithmSet } from '../routing/algorithm-set.js';
import type { TrafficWindows } from '../status-page/traffic-windows.js';

/**
 * Whether probing the backends' load is worth its requests now: the default algorithm is
 * load-aware, or a load-aware one served a request in the last seconds (`?algo=prequal`,
 * or adaptive choosing it: the traffic windows count the algorithm that picked). A
 * balancer that never uses them sends no probe at all; the first request that does
 * starts them within a second (until then the algorithm reads response headers and its
 * own view).
 */
export function loadAwareInUse(algorithms: Pick<AlgorithmSet, 'default' | 'loadAware'>, traffic: TrafficWindows): boolean {
  if (algorithms.loadAware.includes(algorithms.default.name)) return true;
  return algorithms.loadAware.some((name) => traffic.algorithm(name).requests > 0);
}
