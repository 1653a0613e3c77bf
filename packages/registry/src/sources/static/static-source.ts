import { type BackendAddress, validateBackendAddresses } from '../../shared/backend-address.js';
import type { DiscoverySource } from '../discovery-source.js';

/**
 * A fixed list of backends (for example from `parseBackendServers(process.env.BACKEND_SERVERS)`).
 *
 * "Static" means nothing watches anything: the list changes only when its owner calls
 * `replace()` (a config reload, a test). It needs no I/O, so `start()` resolves at once.
 */
export class StaticSource extends EventTarget implements DiscoverySource {
  private backends: readonly BackendAddress[];

  /** @throws InvalidBackendError for a field out of range or a duplicate id */
  constructor(backends: readonly BackendAddress[]) {
    super();
    this.backends = validateBackendAddresses(backends);
  }

  current(): readonly BackendAddress[] {
    return this.backends;
  }

  /**
   * Swaps in a new list and dispatches 'change' if it differs from the current one (same
   * entries in the same order dispatch nothing, so a repeated reload costs nothing).
   * @throws InvalidBackendError as the constructor does; the current list is kept then
   */
  replace(backends: readonly BackendAddress[]): void {
    const next = validateBackendAddresses(backends);
    if (JSON.stringify(next) === JSON.stringify(this.backends)) return;
    this.backends = next;
    this.dispatchEvent(new Event('change'));
  }

  async start(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
  }

  async close(): Promise<void> {}
}
