/**
 * How backends tell the balancers about their load, and what that costs. Every field is
 * optional; without a `reporting` model nothing is reported and every balancer sees only
 * its own in-flight counts and latencies, as before.
 *
 * - `onResponse`: every response carries the backend's report (ORCA's
 *   `endpoint-load-metrics` header): free, but only from backends the balancer uses.
 * - `probesPerRequest`: for each request it receives, a balancer probes this many backends
 *   drawn uniformly without replacement (Prequal's r_probe; a fraction is drawn, 2.5 sends
 *   2 or 3). `probeInterval`: besides, each balancer probes every backend once per
 *   interval, at a random phase. Probes go out only from balancers whose policy reads
 *   reports (`isLoadAware`: prequal, dynamic_weights): the others would not probe.
 * - `probeDelay`: a probe's answer reaches the balancer this long after it left, and
 *   describes the backend as it was when the probe left (so it is `probeDelay` old).
 * - `probeCost`: work each probe costs its backend (time units at speed 1), served in a
 *   slot ahead of the queued requests: what answering probes takes from real traffic.
 * - `window`: the time constant of the backends' own utilization and qps averages.
 */
export interface ReportingModel {
  readonly onResponse?: boolean;
  readonly probesPerRequest?: number;
  readonly probeInterval?: number;
  readonly probeDelay?: number;
  readonly probeCost?: number;
  readonly window?: number;
}

/** A reporting model with every default filled in. */
export interface Reporting {
  readonly onResponse: boolean;
  readonly probesPerRequest: number;
  /** Infinity: no periodic probes. */
  readonly probeInterval: number;
  readonly probeDelay: number;
  readonly probeCost: number;
  readonly window: number;
}

/** Time constant of the backends' utilization and qps averages by default: 1 s in ms. */
export const DEFAULT_REPORT_WINDOW = 1_000;

/** The model's reporting with defaults; throws a RangeError naming the first invalid field. */
export function resolveReporting(model: ReportingModel = {}): Reporting {
  const reporting: Reporting = {
    onResponse: model.onResponse ?? false,
    probesPerRequest: model.probesPerRequest ?? 0,
    probeInterval: model.probeInterval ?? Number.POSITIVE_INFINITY,
    probeDelay: model.probeDelay ?? 0,
    probeCost: model.probeCost ?? 0,
    window: model.window ?? DEFAULT_REPORT_WINDOW,
  };
  const check = (name: string, value: number, ok: boolean, requirement: string): void => {
    if (!ok) throw new RangeError(`reporting: ${name} must be ${requirement}, got ${value}`);
  };
  check('probesPerRequest', reporting.probesPerRequest, reporting.probesPerRequest >= 0 && reporting.probesPerRequest <= 1_000, 'a number from 0 to 1000');
  check('probeInterval', reporting.probeInterval, reporting.probeInterval > 0, 'a positive number');
  check('probeDelay', reporting.probeDelay, reporting.probeDelay >= 0 && Number.isFinite(reporting.probeDelay), 'a finite number >= 0');
  check('probeCost', reporting.probeCost, reporting.probeCost >= 0 && Number.isFinite(reporting.probeCost), 'a finite number >= 0');
  check('window', reporting.window, reporting.window > 0 && Number.isFinite(reporting.window), 'a positive finite number');
  if (typeof reporting.onResponse !== 'boolean') throw new RangeError(`reporting: onResponse must be a boolean, got ${String(reporting.onResponse)}`);
  return reporting;
}

/** True when balancers send probes at all under this reporting. */
export function probes(reporting: Reporting): boolean {
  return reporting.probesPerRequest > 0 || Number.isFinite(reporting.probeInterval);
}
