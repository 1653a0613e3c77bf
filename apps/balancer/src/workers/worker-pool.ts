import { type BackendLoad, type ReleaseResult, type ReportedLoad, toReportedLoad } from '@lbpoc/registry';
import type { RequestPool, RoutableBackend } from '../routing/request-pool.js';
import { type BackendWire, type ProbedLoad, REQUEST_EVENT } from './messages.js';
import type { SharedInFlight } from './shared-in-flight.js';

/** A backend in a worker: its in-flight count is the shared one, every worker's requests included. */
class SharedBackend implements RoutableBackend {
  weight: number;
  slot: number;
  /** The newest load report this worker has: from a response it relayed, or the primary's probe. */
  load: ReportedLoad | undefined = undefined;

  constructor(
    readonly id: string,
    readonly host: string,
    readonly port: number,
    wire: BackendWire,
    private readonly shared: SharedInFlight,
  ) {
    this.weight = wire.weight;
    this.slot = wire.slot;
  }

  get inFlight(): number {
    return this.slot < 0 ? 0 : this.shared.get(this.slot);
  }
}

/** Events are sent when this many are waiting, or after FLUSH_MS, whichever comes first. */
const BATCH = 512;
const FLUSH_MS = 10;

/**
 * A worker thread's view of the primary's pool: the eligible backends as the primary last
 * published them, in-flight counts in shared memory, and every request's start and end
 * sent to the primary in batches (which replays them on the real pool: health feedback,
 * counters, ejection). Per request: two atomic adds and three numbers into a buffer.
 */
export class WorkerPool implements RequestPool<SharedBackend> {
  private current: readonly SharedBackend[] = [];
  private readonly byId = new Map<string, SharedBackend>();
  private events = new Float64Array(BATCH * 3);
  private count = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly index: number,
    private readonly shared: SharedInFlight,
    private readonly send: (events: Float64Array) => void,
    eligible: readonly BackendWire[],
  ) {
    this.update(eligible);
  }

  /** The primary published a new eligible set: a new array (algorithms rebuild on a new identity), the same objects per id. */
  update(eligible: readonly BackendWire[]): void {
    const next: SharedBackend[] = [];
    for (const wire of eligible) {
      let backend = this.byId.get(wire.id);
      if (backend === undefined) {
        backend = new SharedBackend(wire.id, wire.host, wire.port, wire, this.shared);
        this.byId.set(wire.id, backend);
      } else {
        backend.weight = wire.weight;
        backend.slot = wire.slot;
      }
      next.push(backend);
    }
    this.current = next;
  }

  eligible(): readonly SharedBackend[] {
    return this.current;
  }

  acquire(backend: SharedBackend): void {
    if (backend.slot >= 0) this.shared.add(this.index, backend.slot, 1);
    this.record(backend.slot, REQUEST_EVENT.acquire, -1);
  }

  release(backend: SharedBackend, result: ReleaseResult = {}): void {
    if (backend.slot >= 0) this.shared.add(this.index, backend.slot, -1);
    this.record(backend.slot, result.outcome === undefined ? REQUEST_EVENT.none : REQUEST_EVENT[result.outcome], result.latencyMs ?? -1);
  }

  /** A response this worker relayed carried the backend's load report. */
  reportLoad(id: string, load: BackendLoad): void {
    const backend = this.byId.get(id);
    if (backend !== undefined) backend.load = toReportedLoad(load, performance.now());
  }

  /**
   * The primary's probes: each report with its age, since the threads' clocks have
   * different origins. Kept only where newer than what this worker already has.
   */
  applyProbes(reports: readonly ProbedLoad[]): void {
    const now = performance.now();
    for (const { id, load, ageMs } of reports) {
      const backend = this.byId.get(id);
      const receivedAt = now - ageMs;
      if (backend !== undefined && (backend.load === undefined || backend.load.receivedAt < receivedAt)) backend.load = toReportedLoad(load, receivedAt);
    }
  }

  /** Sends what is waiting now (also at shutdown). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.count === 0) return;
    const batch = this.events.slice(0, this.count * 3);
    this.count = 0;
    this.send(batch);
  }

  private record(slot: number, event: number, latencyMs: number): void {
    if (slot < 0) return;
    const at = this.count * 3;
    this.events[at] = slot;
    this.events[at + 1] = event;
    this.events[at + 2] = latencyMs;
    this.count++;
    if (this.count === BATCH) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }
}
