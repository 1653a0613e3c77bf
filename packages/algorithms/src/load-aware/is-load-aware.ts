import type { Algorithm, LoadAwareAlgorithm } from '../types.js';

/**
 * True for an algorithm that reads `Server.load` and can `inspect()` what it uses (today
 * `prequal` and `dynamic_weights`): the ones worth probing backends for, and whose
 * per-server state a status page can show.
 */
export function isLoadAware(algorithm: Algorithm): algorithm is LoadAwareAlgorithm {
  return typeof (algorithm as Partial<LoadAwareAlgorithm>).inspect === 'function';
}
