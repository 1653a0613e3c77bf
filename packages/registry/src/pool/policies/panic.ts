/** What panic mode needs to know about a backend. */
export interface PanicInput {
  readonly healthy: boolean;
  readonly drained: boolean;
  readonly configuredWeight: number;
}

/**
 * Panic mode, as Envoy does it: when fewer than `threshold` of the backends are healthy,
 * health checking itself is the likelier fault (a shared dependency down, a bad health
 * route), or the survivors would be crushed by the whole load. Either way, spreading load
 * over every backend does less harm than sending it all to the few.
 *
 * Drained backends (drained, or weight 0) are left out of the count: an operator draining
 * half the fleet for a deploy must not tip the pool into panic.
 * An empty pool, or `threshold` 0, never panics.
 */
export function isPanic(backends: Iterable<PanicInput>, threshold: number): boolean {
  if (threshold <= 0) return false;
  let total = 0;
  let healthy = 0;
  for (const backend of backends) {
    if (backend.drained || backend.configuredWeight <= 0) continue;
    total += 1;
    if (backend.healthy) healthy += 1;
  }
  return total > 0 && healthy / total < threshold;
}
