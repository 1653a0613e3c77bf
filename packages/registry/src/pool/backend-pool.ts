import { HealthChecker } from '../health/health-checker.js';
import type { HealthProbeResult } from '../health/http-probe.js';
import { recordCheck } from '../health/rise-fall.js';
import type { BackendLoad } from '../load-reports/orca-text.js';
import { toReportedLoad } from '../load-reports/reported-load.js';
import { linkAbort } from '../shared/abort-link.js';
import { type BackendAddress, isValidWeight, MAX_WEIGHT } from '../shared/backend-address.js';
import { InvalidBackendError, PoolClosedError, UnknownBackendError } from '../shared/errors.js';
import { TypedEventTarget } from '../shared/typed-event-target.js';
import type { DiscoverySource } from '../sources/discovery-source.js';
import type { Backend, HealthChangeDetail, RequestOutcome } from './backend.js';
import { BackendState } from './backend-state.js';
import { countOutcome, decayedEjectionLevel, ejectionDurationMs } from './policies/outlier-detection.js';
import { isPanic } from './policies/panic.js';
import { slowStartFactor } from './policies/slow-start.js';
import { type BackendPoolOptions, DEFAULT_HEALTH_CHECK, type ResolvedPoolOptions, resolvePoolOptions } from './pool-options.js';
import { SnapshotCache } from './snapshot-cache.js';

/** The events a `BackendPool` dispatches, for typed `addEventListener`. */
export interface BackendPoolEventMap {
  /** `eligible()` returns a new array (membership, health, panic or an effective weight changed). */
  change: Event;
  /** A backend's `healthy` flipped. Dispatched after the new snapshot is in place. */
  health: CustomEvent<HealthChangeDetail>;
}

/** What `release()` reports about a finished request. */
export interface ReleaseResult {
  /** Time to the response (or failure), in ms; feeds the latency EWMA for `success` and `http_5xx`. */
  readonly latencyMs?: number;
  /** How it ended; omit for requests that say nothing about the backend (the client went away). */
  readonly outcome?: RequestOutcome;
}

type PoolState = 'new' | 'starting' | 'running' | 'closed';
/**
 * The runtime state of a set of backends, and the snapshots algorithms pick from.
 *
 * Built on a `DiscoverySource`, which it owns: `start()` starts the source, `close()`
 * closes it. On every source change, backends that stay keep their state (health,
 * ejections, counters, in-flight), removed ones leave the snapshot at once (requests in
 * flight on them still complete and may still be `release()`d), new ones join.
 *
 * Health is two signals, both needed for `healthy`:
 * - active checks: GET of each backend's health path; `fall` consecutive failures mark it
 *   down, `rise` consecutive 2xx bring it back. Backends start healthy (as Envoy does by
 *   default) and checks demote them, so a restart does not empty the pool until the first
 *   round of checks has passed.
 * - passive outlier ejection: consecutive failed requests (`reportResult`/`release`)
 *   eject it for `baseEjectionMs * 2^n` (capped); it returns when the time is up. Active
 *   checks do not end an ejection early (a backend whose /health is fine but whose real
 *   requests fail would otherwise bounce straight back).
 *
 * `eligible()` holds the healthy backends, or every backend in panic mode. A backend that
 * becomes healthy after the pool started (new, readmitted, recovered) slow-starts.
 */
export class BackendPool extends TypedEventTarget<BackendPoolEventMap> {
  readonly source: DiscoverySource;
  readonly options: ResolvedPoolOptions;
  private members = new Map<string, BackendState>();
  private everyone: readonly BackendState[] = Object.freeze([]);
  private readonly snapshot = new SnapshotCache<BackendState>();
  private panicking = false;
  private state: PoolState = 'new';
  private starting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private checker: HealthChecker | undefined;
  private cancelRampTick: (() => void) | undefined;
  private stopOnAbort: (() => void) | undefined;
  private readonly onSourceChange = (): void => {
    if (this.state === 'running') this.sync(this.source.current(), true);
  };

  /** @throws InvalidPoolOptionError for an option out of range (nothing is started) */
  constructor(source: DiscoverySource, options: BackendPoolOptions = {}) {
    super();
    this.source = source;
    this.options = resolvePoolOptions(options);
  }

  /** True while fewer than `panicThreshold` of the (non-drained) backends are healthy: `eligible()` then holds all of them. */
  get panic(): boolean {
    return this.panicking;
  }

  /**
   * The backends to pick from: the healthy ones (all of them in panic mode), in source
   * order. The same frozen array until something changes, then a new one; drained
   * backends stay in it with weight 0. Empty before `start()`.
   */
  eligible(): readonly Backend[] {
    return this.snapshot.current;
  }

  /** Every backend the source currently lists, healthy or not, in source order. */
  all(): readonly Backend[] {
    return this.everyone;
  }

  /** The backend with this id, if the source currently lists it. */
  get(id: string): Backend | undefined {
    return this.members.get(id);
  }

  /**
   * Starts the source, takes its first set of backends and starts health checks.
   * Idempotent (later calls return the first call's promise). Aborting `signal` closes the pool.
   * @throws PoolClosedError after `close()`; rejects with the source's error if it cannot start
   */
  start(signal?: AbortSignal): Promise<void> {
    if (this.state === 'closed') return Promise.reject(new PoolClosedError('This BackendPool'));
    this.starting ??= this.begin(signal);
    return this.starting;
  }

  /** Stops checks and timers, closes the source and frees every socket. Idempotent; the state stays readable. */
  close(): Promise<void> {
    this.closing ??= this.end();
    return this.closing;
  }

  /** Counts a request going to `backend` (`inFlight` + 1). Pair with `release()`. */
  acquire(backend: Backend): void {
    const state = this.stateOf(backend);
    state.inFlight += 1;
    state.counters.requests += 1;
  }

  /**
   * Ends a request started with `acquire()`: `inFlight` - 1, latency into the EWMA (only
   * for responses: a refused connection is fast and would make a dead backend look quick),
   * and the outcome into outlier detection. A negative or non-finite latency is ignored.
   */
  release(backend: Backend, result: ReleaseResult = {}): void {
    const state = this.stateOf(backend);
    state.inFlight = Math.max(0, state.inFlight - 1);
    const { latencyMs, outcome } = result;
    if ((outcome === 'success' || outcome === 'http_5xx') && latencyMs !== undefined && latencyMs >= 0 && Number.isFinite(latencyMs)) {
      const previous = state.latencyEwmaMs;
      const alpha = this.options.latencyEwmaAlpha;
      state.latencyEwmaMs = previous === undefined ? latencyMs : previous + alpha * (latencyMs - previous);
    }
    if (outcome !== undefined) this.reportResult(state, { outcome });
  }

  /**
   * Feeds one request's outcome to passive outlier detection (use this when not using
   * `release()`). Outcomes for a backend that is already ejected or no longer listed, or
   * reported while the pool is not running, are counted but cannot eject it.
   */
  reportResult(backend: Backend, result: { readonly outcome: RequestOutcome }): void {
    const state = this.stateOf(backend);
    const { outcome } = result;
    switch (outcome) {
      case 'success':
        state.counters.successes += 1;
        break;
      case 'http_5xx':
        state.counters.http5xx += 1;
        break;
      case 'connect_failure':
        state.counters.connectFailures += 1;
        break;
      case 'timeout':
        state.counters.timeouts += 1;
        break;
      default:
        throw new TypeError(`outcome must be one of success, http_5xx, connect_failure, timeout; got ${JSON.stringify(outcome)}`);
    }
    const detection = this.options.outlierDetection;
    if (detection === false || this.state !== 'running' || state.ejected || this.members.get(state.id) !== state) return;
    const trigger = countOutcome(state, outcome, detection);
    if (trigger !== undefined) this.eject(state, trigger);
  }

  /**
   * Drains (weight 0: no new requests, in-flight ones finish) or undrains a backend. The
   * drained flag survives source changes.
   * @throws UnknownBackendError for an id the pool does not list
   */
  setDrained(id: string, drained: boolean): void {
    const state = this.require(id);
    if (state.drained === drained) return;
    state.drained = drained;
    this.publish([]);
  }

  /**
   * Overrides a backend's configured weight, until the source reports a different weight for it.
   * @throws UnknownBackendError for an unknown id; InvalidBackendError for a weight outside 0..1000
   */
  setWeight(id: string, weight: number): void {
    const state = this.require(id);
    if (!isValidWeight(weight)) throw new InvalidBackendError(id, 'weight', weight, `an integer from 0 to ${MAX_WEIGHT} (0 = drained)`);
    if (state.configuredWeight === weight) return;
    state.configuredWeight = weight;
    this.publish([]);
  }

  /**
   * Records what a backend reported about its own load (a probe's answer or a response's
   * `endpoint-load-metrics` header, see `parseLoadReport`), stamped with the pool's clock:
   * `Backend.load`, read by the load-aware algorithms and shown by `toJSON()`. A report
   * for a backend that is no longer a member is ignored (reports race removals).
   */
  reportLoad(id: string, load: BackendLoad): void {
    const state = this.members.get(id);
    if (state !== undefined) state.load = toReportedLoad(load, this.options.clock.now());
  }

  private async begin(signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    this.state = 'starting';
    this.stopOnAbort = linkAbort(signal, () => void this.close());
    this.source.addEventListener('change', this.onSourceChange);
    try {
      await this.source.start(signal);
    } catch (error) {
      if ((this.state as PoolState) !== 'closed') {
        // Let the caller retry start() once the cause is fixed.
        this.state = 'new';
        this.starting = undefined;
        this.source.removeEventListener('change', this.onSourceChange);
        this.stopOnAbort?.();
      }
      throw error;
    }
    if ((this.state as PoolState) !== 'starting') return; // closed while the source started
    const { healthCheck, clock } = this.options;
    if (healthCheck !== false) {
      this.checker = new HealthChecker(healthCheck, clock, (backend, result) => this.onCheck(backend, result));
    }
    this.state = 'running';
    this.sync(this.source.current(), false);
  }

  private async end(): Promise<void> {
    this.state = 'closed';
    this.source.removeEventListener('change', this.onSourceChange);
    this.stopOnAbort?.();
    this.cancelRampTick?.();
    this.cancelRampTick = undefined;
    for (const state of this.members.values()) {
      state.cancelEjection?.();
      state.cancelEjection = undefined;
    }
    await Promise.all([this.checker?.close(), this.source.close()]);
  }

  /** Reconciles the members with the source's list; `later` is false for the first list. */
  private sync(addresses: readonly BackendAddress[], later: boolean): void {
    const now = this.options.clock.now();
    const defaultPath = this.options.healthCheck === false ? DEFAULT_HEALTH_CHECK.path : this.options.healthCheck.path;
    const next = new Map<string, BackendState>();
    const added: BackendState[] = [];
    for (const address of addresses) {
      let state = this.members.get(address.id);
      if (state === undefined) {
        state = new BackendState(address, defaultPath, () => this.options.clock.now());
        state.admittedAt = now;
        if (later) this.beginRamp(state, now);
        added.push(state);
      } else {
        state.updateFrom(address, defaultPath);
      }
      next.set(address.id, state);
    }
    for (const [id, state] of this.members) {
      if (next.has(id)) continue;
      this.checker?.unwatch(state);
      state.cancelEjection?.();
      state.cancelEjection = undefined;
    }
    this.members = next;
    this.everyone = Object.freeze([...next.values()]);
    for (const state of added) this.checker?.watch(state);
    this.publish([]);
  }

  private onCheck(state: BackendState, result: HealthProbeResult): void {
    const healthCheck = this.options.healthCheck;
    if (healthCheck === false || this.state !== 'running' || this.members.get(state.id) !== state) return;
    state.lastCheck = result.detail;
    if (result.passed) state.counters.checksPassed += 1;
    else state.counters.checksFailed += 1;
    const wasHealthy = state.healthy;
    if (!recordCheck(state, result.passed, healthCheck.rise, healthCheck.fall)) return;
    const events: HealthChangeDetail[] = [];
    if (state.healthy !== wasHealthy) {
      if (state.healthy) this.beginRamp(state, this.options.clock.now());
      const message = result.passed
        ? `${healthCheck.rise} consecutive passing checks of GET ${state.healthPath}`
        : `${healthCheck.fall} consecutive failed checks of GET ${state.healthPath}, last: ${result.detail}`;
      events.push({ backend: state, healthy: state.healthy, reason: result.passed ? 'check_passed' : 'check_failed', message });
    }
    this.publish(events);
  }

  private eject(state: BackendState, trigger: string): void {
    const detection = this.options.outlierDetection;
    if (detection === false) return;
    const { clock } = this.options;
    const now = clock.now();
    const wasHealthy = state.healthy;
    const level = decayedEjectionLevel(state.ejectionLevel, now - state.admittedAt, detection.baseEjectionMs);
    const durationMs = ejectionDurationMs(level, detection);
    state.ejectionLevel = level + 1;
    state.ejectedUntil = now + durationMs;
    state.counters.ejections += 1;
    state.cancelEjection = clock.setTimeout(() => this.readmit(state, durationMs), durationMs);
    const events: HealthChangeDetail[] = wasHealthy
      ? [{ backend: state, healthy: false, reason: 'ejected', message: `ejected for ${durationMs} ms after ${trigger}` }]
      : [];
    this.publish(events);
  }

  private readmit(state: BackendState, durationMs: number): void {
    state.cancelEjection = undefined;
    if (this.state !== 'running' || this.members.get(state.id) !== state) return;
    const now = this.options.clock.now();
    state.ejectedUntil = undefined;
    state.admittedAt = now;
    const events: HealthChangeDetail[] = [];
    if (state.healthy) {
      this.beginRamp(state, now);
      events.push({ backend: state, healthy: true, reason: 'ejection_expired', message: `readmitted after a ${durationMs} ms ejection` });
    }
    this.publish(events);
  }

  private beginRamp(state: BackendState, now: number): void {
    if (this.options.slowStartMs > 0) state.rampStartedAt = now;
  }

  /**
   * Recomputes effective weights, panic and the eligible set; publishes a new snapshot if
   * it differs, then dispatches the health events and 'change'.
   */
  private publish(events: readonly HealthChangeDetail[]): void {
    const { clock, slowStartMs, panicThreshold } = this.options;
    const now = clock.now();
    let ramping = false;
    for (const state of this.members.values()) {
      let factor = 1;
      if (state.rampStartedAt !== undefined) {
        factor = slowStartFactor(now - state.rampStartedAt, slowStartMs);
        if (factor >= 1) state.rampStartedAt = undefined;
        else ramping = true;
      }
      // Rounded so that weights read well in /backends; never rounds a positive weight to 0.
      state.weight = state.drained ? 0 : Math.round(state.configuredWeight * factor * 1000) / 1000;
    }
    this.panicking = isPanic(this.members.values(), panicThreshold);
    const eligible = this.panicking ? this.everyone : this.everyone.filter((state) => state.healthy);
    const changed = this.snapshot.update(eligible);
    this.scheduleRampTick(ramping);
    for (const detail of events) this.dispatchEvent(new CustomEvent('health', { detail }));
    if (changed) this.dispatchEvent(new Event('change'));
  }

  /** While any backend ramps, republish every tenth of `slowStartMs` so algorithms see the weights grow. */
  private scheduleRampTick(ramping: boolean): void {
    if (!ramping || this.state !== 'running') {
      this.cancelRampTick?.();
      this.cancelRampTick = undefined;
      return;
    }
    if (this.cancelRampTick !== undefined) return;
    const tickMs = Math.max(1, Math.round(this.options.slowStartMs / 10));
    this.cancelRampTick = this.options.clock.setTimeout(() => {
      this.cancelRampTick = undefined;
      if (this.state === 'running') this.publish([]);
    }, tickMs);
  }

  private require(id: string): BackendState {
    const state = this.members.get(id);
    if (state === undefined) throw new UnknownBackendError(id, [...this.members.keys()]);
    return state;
  }

  private stateOf(backend: Backend): BackendState {
    if (backend instanceof BackendState) return backend;
    throw new TypeError(
      `expected a Backend from this pool (from eligible(), all() or get()), got ${JSON.stringify((backend as { id?: unknown } | null)?.id ?? backend)}`,
    );
  }
}
