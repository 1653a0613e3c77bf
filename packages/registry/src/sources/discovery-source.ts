import type { BackendAddress } from '../shared/backend-address.js';

/**
 * Where backends come from: a fixed list (`StaticSource`), Docker labels, Swarm tasks.
 * `BackendPool` reads nothing else, so a new kind of discovery is a new class, not a
 * change to the pool.
 *
 * Contract, so that every source behaves the same under the pool:
 * - `current()` is a snapshot: a frozen array that is replaced, never mutated, when the
 *   set changes. Ids are unique within it. Before `start()` resolves it may be empty.
 * - After the set changes, the source dispatches a plain `Event('change')`; listeners call
 *   `current()` for the new set (the event carries no payload, so a listener that missed
 *   one change still reads the latest set).
 * - `start(signal)` resolves once the first set is known (for Docker: after the first
 *   container list, with the event stream attached), and rejects if that cannot happen
 *   (daemon unreachable). Aborting `signal` stops the source as `close()` does.
 * - After `start()` a source keeps watching on its own. A source that loses its feed
 *   (the Docker event stream drops when the daemon restarts) keeps its last known set,
 *   reconnects, re-lists, and may dispatch `CustomEvent('error', { detail: { error } })`
 *   so the owner can log it; it never throws from a timer.
 * - `close()` stops watching and releases every handle (sockets, timers); it is
 *   idempotent, and no 'change' is dispatched after it resolves.
 */
export interface DiscoverySource extends EventTarget {
  /** The backends known now, in a stable order (the order the source lists them). */
  current(): readonly BackendAddress[];
  /** Begins discovery; resolves when `current()` holds the first complete set. */
  start(signal?: AbortSignal): Promise<void>;
  /** Stops discovery and frees every handle. Idempotent. */
  close(): Promise<void>;
}
