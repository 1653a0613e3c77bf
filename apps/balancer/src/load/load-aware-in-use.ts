import type { AlgorithmName } from '@lbpoc/algorithms';
import type { TrafficWindows } from '../status-page/traffic-windows.js';

/** The algorithms that decide on what backends report (`@lbpoc/algorithms`' `isLoadAware` ones): probing is for them. */
export const LOAD_AWARE_ALGORITHMS: readonly AlgorithmName[] = ['prequal', 'dynamic_weights'];

/**
 * Whether probing the backends' load is worth its requests now: the default algorithm is
 * load-aware, or a load-aware one served a request in the last seconds (`?algo=prequal`,
 * or adaptive choosing it: the traffic windows count the algorithm that picked). A
 * balancer that never uses them sends no probe at all; the first request that does
 * starts them within a second (until then the algorithm reads response headers and its
 * own view).
 */
export function loadAwareInUse(defaultAlgorithm: () => AlgorithmName, traffic: TrafficWindows): boolean {
  if (LOAD_AWARE_ALGORITHMS.includes(defaultAlgorithm())) return true;
  return LOAD_AWARE_ALGORITHMS.some((name) => traffic.algorithm(name).requests > 0);
}
