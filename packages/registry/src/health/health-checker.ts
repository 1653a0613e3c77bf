import { Agent } from 'node:http';
import type { BackendState } from '../pool/backend-state.js';
import type { HealthCheckOptions } from '../pool/pool-options.js';
import type { Clock } from '../shared/clock.js';
import { type HealthProbeResult, probeHealth } from './http-probe.js';

interface Watch {
  cancelTimer: (() => void) | undefined;
}

/**
 * Runs active health checks: one loop per watched backend, a check right away and then
 * `intervalMs` after each check ends (so a slow backend is never checked twice at once).
 * It only reports results; rise/fall and what a result means belong to the pool.
 */
export class HealthChecker {
  private readonly options: HealthCheckOptions;
  private readonly clock: Clock;
  private readonly onResult: (backend: BackendState, result: HealthProbeResult) => void;
  private readonly agent = new Agent({ keepAlive: true });
  private readonly closing = new AbortController();
  private readonly watches = new Map<BackendState, Watch>();
  private readonly inProgress = new Set<Promise<void>>();

  constructor(options: HealthCheckOptions, clock: Clock, onResult: (backend: BackendState, result: HealthProbeResult) => void) {
    this.options = options;
    this.clock = clock;
    this.onResult = onResult;
  }

  /** Starts checking `backend` (no-op if already watched or closed). */
  watch(backend: BackendState): void {
    if (this.closing.signal.aborted || this.watches.has(backend)) return;
    const watch: Watch = { cancelTimer: undefined };
    this.watches.set(backend, watch);
    this.check(backend, watch);
  }

  /** Stops checking `backend`; a check in progress finishes but is not reported. */
  unwatch(backend: BackendState): void {
    this.watches.get(backend)?.cancelTimer?.();
    this.watches.delete(backend);
  }

  /** Aborts checks in progress, cancels timers and destroys every socket; resolves when all are gone. */
  async close(): Promise<void> {
    this.closing.abort();
    for (const watch of this.watches.values()) watch.cancelTimer?.();
    this.watches.clear();
    await Promise.all(this.inProgress);
    this.agent.destroy();
  }

  private check(backend: BackendState, watch: Watch): void {
    watch.cancelTimer = undefined;
    const target = { host: backend.host, port: backend.port, path: backend.healthPath };
    const done = probeHealth(target, { agent: this.agent, timeoutMs: this.options.timeoutMs, signal: this.closing.signal }).then((result) => {
      if (this.watches.get(backend) !== watch) return;
      try {
        this.onResult(backend, result);
      } catch (error) {
        // A bug in the handler must surface, but must not stop this loop or break close().
        queueMicrotask(() => {
          throw error;
        });
      }
      if (this.watches.get(backend) !== watch) return;
      watch.cancelTimer = this.clock.setTimeout(() => this.check(backend, watch), this.options.intervalMs);
    });
    this.inProgress.add(done);
    void done.finally(() => this.inProgress.delete(done));
  }
}
