import { type ReportedLoad, reportedLoadStatus } from '../load-reports/reported-load.js';
import type { BackendAddress } from '../shared/backend-address.js';
import type { Backend, BackendCounters, BackendStatus } from './backend.js';

type MutableCounters = { -readonly [K in keyof BackendCounters]: BackendCounters[K] };

/**
 * The mutable record behind a `Backend`. Only the pool and its helpers write to it; users
 * see it through the read-only `Backend` type. Plain fields (not getters) for `weight` and
 * `inFlight`, because algorithms read them on every pick.
 */
export class BackendState implements Backend {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  pool: string | undefined;
  healthPath: string;
  /** The weight the source last reported; a change from the source overrides `setWeight()`. */
  sourceWeight: number;
  configuredWeight: number;
  weight = 0;
  inFlight = 0;
  drained = false;
  failingChecks = false;
  /** Consecutive passing / failing active checks, for `rise` / `fall`. */
  checkPasses = 0;
  checkFailures = 0;
  lastCheck: string | undefined = undefined;
  /** Clock time the current ejection ends; `undefined` when not ejected. */
  ejectedUntil: number | undefined = undefined;
  /** Ejections that still count for back-off (decays while admitted). */
  ejectionLevel = 0;
  /** Clock time the last ejection ended, for decaying `ejectionLevel`. */
  admittedAt = 0;
  /** Consecutive `connect_failure`/`timeout` outcomes, and consecutive failures of any kind. */
  consecutiveLocalFailures = 0;
  consecutiveFailures = 0;
  /** Clock time slow start began; `undefined` when not ramping. */
  rampStartedAt: number | undefined = undefined;
  latencyEwmaMs: number | undefined = undefined;
  load: ReportedLoad | undefined = undefined;
  readonly counters: MutableCounters = {
    requests: 0,
    successes: 0,
    http5xx: 0,
    connectFailures: 0,
    timeouts: 0,
    ejections: 0,
    checksPassed: 0,
    checksFailed: 0,
  };
  /** Cancels the timer that ends the current ejection. */
  cancelEjection: (() => void) | undefined = undefined;

  constructor(
    address: BackendAddress,
    defaultHealthPath: string,
    /** The pool's clock, for the age of a load report in `toJSON()`. */
    private readonly now: () => number,
  ) {
    this.id = address.id;
    this.host = address.host;
    this.port = address.port;
    this.pool = address.pool;
    this.healthPath = address.healthPath ?? defaultHealthPath;
    this.sourceWeight = address.weight;
    this.configuredWeight = address.weight;
  }

  get healthy(): boolean {
    return !this.failingChecks && this.ejectedUntil === undefined;
  }

  get ejected(): boolean {
    return this.ejectedUntil !== undefined;
  }

  get rampingUp(): boolean {
    return this.rampStartedAt !== undefined;
  }

  /** Takes the source's latest view of this backend; its runtime state stays. */
  updateFrom(address: BackendAddress, defaultHealthPath: string): void {
    this.pool = address.pool;
    this.healthPath = address.healthPath ?? defaultHealthPath;
    if (address.weight !== this.sourceWeight) {
      this.sourceWeight = address.weight;
      this.configuredWeight = address.weight;
    }
  }

  toJSON(): BackendStatus {
    return {
      id: this.id,
      host: this.host,
      port: this.port,
      pool: this.pool ?? null,
      healthPath: this.healthPath,
      configuredWeight: this.configuredWeight,
      weight: this.weight,
      inFlight: this.inFlight,
      healthy: this.healthy,
      drained: this.drained,
      failingChecks: this.failingChecks,
      ejected: this.ejected,
      rampingUp: this.rampingUp,
      latencyEwmaMs: this.latencyEwmaMs ?? null,
      lastCheck: this.lastCheck ?? null,
      load: this.load === undefined ? null : reportedLoadStatus(this.load, this.now()),
      counters: { ...this.counters },
    };
  }
}
