import type { BalancerMetrics, LoadProbeResult } from '@lbpoc/metrics';
import { type Backend, type BackendLoad, type BackendPool, LOAD_REPORT_HEADER, parseLoadReport } from '@lbpoc/registry';
import { Agent } from 'undici';
import { originOf } from '../proxy/backend-target.js';

export interface LoadProbeConfig {
  /** `LOAD_PROBE_INTERVAL_MS`: each eligible backend is probed once per interval; 0 turns probing off. */
  readonly intervalMs: number;
  /** `LOAD_PROBE_PATH`: what a probe GETs (lbpoc's backend answers `/load`). */
  readonly path: string;
}

/** A backend that has not answered with a load report this many times in a row is probed only every SLOW_EVERY intervals. */
const UNREPORTING_AFTER = 3;
const SLOW_EVERY = 20;
/** A probe's answer may take at most this long (and never longer than an interval). */
const MAX_PROBE_TIMEOUT_MS = 1000;

/** Per backend: what the prober remembers between rounds. */
interface ProbeState {
  running: boolean;
  unusableInARow: number;
}

/**
 * Asks every eligible backend for its load, off the request path, while a load-aware
 * algorithm is in use (`inUse`): one GET of the probe path per backend per interval (Prequal's asynchronous probes, at a bounded rate), on a
 * keep-alive connection of its own. The `endpoint-load-metrics` header of the answer goes
 * to the pool (`reportLoad`), where the load-aware algorithms read it, and to `onReport`
 * (the primary passes it on to its worker threads). A backend that does not report is
 * asked only every 20th round after three answers without a report, so a fleet of
 * backends that never report costs next to nothing.
 */
export class LoadProber {
  private readonly agent: Agent;
  private readonly states = new Map<string, ProbeState>();
  private readonly timeoutMs: number;
  private timer: NodeJS.Timeout | undefined;
  private round = 0;

  constructor(
    private readonly pool: BackendPool,
    private readonly metrics: BalancerMetrics,
    private readonly config: LoadProbeConfig,
    /** Whether a load-aware algorithm is in use (`loadAwareInUse`): rounds are skipped while it is not. */
    private readonly inUse: () => boolean,
    private readonly onReport: (id: string, load: BackendLoad) => void = () => {},
  ) {
    this.timeoutMs = Math.min(config.intervalMs, MAX_PROBE_TIMEOUT_MS);
    this.agent = new Agent({ connections: 1, pipelining: 1, connect: { timeout: this.timeoutMs } });
  }

  start(): void {
    if (this.config.intervalMs <= 0 || this.timer !== undefined) return;
    this.timer = setInterval(() => this.probeAll(), this.config.intervalMs);
    this.timer.unref();
    this.probeAll();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.agent.close().catch(() => undefined);
  }

  /** One round: a probe to each eligible backend that is due and not still being probed; the age gauges of every reporting backend. */
  private probeAll(): void {
    const now = performance.now();
    const current = new Set<string>();
    for (const backend of this.pool.all()) {
      current.add(backend.id);
      if (backend.load !== undefined) this.metrics.backendLoadReportAge.set({ backend: backend.id }, Math.max(0, now - backend.load.receivedAt) / 1000);
    }
    for (const id of this.states.keys()) if (!current.has(id)) this.states.delete(id);
    if (!this.inUse()) return;
    this.round++;
    for (const backend of this.pool.eligible()) {
      let state = this.states.get(backend.id);
      if (state === undefined) this.states.set(backend.id, (state = { running: false, unusableInARow: 0 }));
      const due = state.unusableInARow < UNREPORTING_AFTER || this.round % SLOW_EVERY === 0;
      if (!state.running && due) void this.probe(backend, state);
    }
  }

  private async probe(backend: Backend, state: ProbeState): Promise<void> {
    state.running = true;
    let result: LoadProbeResult = 'failed';
    try {
      const answer = await this.agent.request({
        origin: originOf(backend),
        path: this.config.path,
        method: 'GET',
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await answer.body.dump();
      const load = parseLoadReport(answer.headers[LOAD_REPORT_HEADER]);
      result = load === undefined ? 'unusable' : 'ok';
      // A backend that left while its probe was out: no report, and no series made again after forgetBackend.
      if (load !== undefined && this.pool.get(backend.id) !== undefined) {
        this.pool.reportLoad(backend.id, load);
        this.onReport(backend.id, load);
        if (load.inFlight !== undefined) this.metrics.backendReportedInFlight.set({ backend: backend.id }, load.inFlight);
        this.metrics.backendLoadReportAge.set({ backend: backend.id }, 0);
      }
    } catch {
      // No answer in time, refused, reset: counted; the backend's health is the checker's business.
    } finally {
      state.running = false;
    }
    state.unusableInARow = result === 'unusable' ? state.unusableInARow + 1 : 0;
    if (this.pool.get(backend.id) !== undefined) this.metrics.loadProbesTotal.inc({ backend: backend.id, result });
  }
}
