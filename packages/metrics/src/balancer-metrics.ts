import { type Counter, Gauge, type Histogram, type Registry } from 'prom-client';
import { createAppRegistry } from './create-app-registry.js';
import { defineCounter, defineGauge, defineHistogram, type LabelledCounter, type LabelSetOf, type LabelsOf } from './define-metric.js';
import { LATENCY_BUCKETS } from './latency-buckets.js';
import { BALANCER_METRICS } from './metric-definitions.js';
import type { MetricsOptions } from './metrics-options.js';
import { removeSeries } from './remove-series.js';

type B = typeof BALANCER_METRICS;

/** Options of `createBalancerMetrics`. */
/** Where `lbpoc_algorithm_gauge` values come from: `[algorithm, gauge, value]` triples, read at each scrape. */
export type AlgorithmGaugeSource = () => Iterable<readonly [algorithm: string, gauge: string, value: number]>;

export interface BalancerMetricsOptions extends MetricsOptions {
  /** The running build, exported as `lbpoc_build_info{version}` = 1. Default `"unknown"`. */
  readonly version?: string;
}

/** The balancer's metrics, each registered only in `registry`. */
export interface BalancerMetrics {
  /** This app's own registry: serve it on `/metrics`. */
  readonly registry: Registry;
  /** `lbpoc_requests_total{algorithm,backend,status_class}`; `status_class` from `statusClass(code)`. */
  readonly requestsTotal: LabelledCounter<LabelSetOf<B['requestsTotal']>>;
  /** `lbpoc_request_duration_seconds{algorithm,backend}`: received to response finished. */
  readonly requestDuration: Histogram<LabelsOf<B['requestDuration']>>;
  /** `lbpoc_backend_in_flight{backend}`. */
  readonly inFlight: Gauge<LabelsOf<B['inFlight']>>;
  /** `lbpoc_backend_up{backend}`: 1 healthy, 0 not. */
  readonly backendUp: Gauge<LabelsOf<B['backendUp']>>;
  /** `lbpoc_backend_weight{backend}`: effective weight. */
  readonly backendWeight: Gauge<LabelsOf<B['backendWeight']>>;
  /** `lbpoc_retries_total{algorithm,reason}`; `reason` one of `RETRY_REASONS`. */
  readonly retriesTotal: LabelledCounter<LabelSetOf<B['retriesTotal']>>;
  /** `lbpoc_adaptive_decisions_total{choice}`: the algorithm adaptive delegated to, one of `ADAPTIVE_CHOICES`. */
  readonly adaptiveDecisionsTotal: LabelledCounter<LabelSetOf<B['adaptiveDecisionsTotal']>>;
  /** `lbpoc_no_backend_total{algorithm}`: 503s for lack of a healthy backend. */
  readonly noBackendTotal: Counter<LabelsOf<B['noBackendTotal']>>;
  /** `lbpoc_rejected_requests_total{reason}`; `reason` one of `REJECTION_REASONS`. */
  readonly rejectedRequestsTotal: LabelledCounter<LabelSetOf<B['rejectedRequestsTotal']>>;
  /** `lbpoc_backend_ejections_total{backend,reason}`; `reason` one of `EJECTION_REASONS`. */
  readonly backendEjectionsTotal: LabelledCounter<LabelSetOf<B['backendEjectionsTotal']>>;
  /** `lbpoc_health_checks_total{backend,result}`; `result` one of `HEALTH_CHECK_RESULTS`. */
  readonly healthChecksTotal: LabelledCounter<LabelSetOf<B['healthChecksTotal']>>;
  /** `lbpoc_panic_mode`: 1 in panic mode, 0 not. Starts at 0. */
  readonly panicMode: Gauge;
  /** `lbpoc_build_info{version}`: set to 1 for the configured version at creation. */
  readonly buildInfo: Gauge<LabelsOf<B['buildInfo']>>;
  /** `lbpoc_workers`: worker threads serving traffic. Starts at 1. */
  readonly workers: Gauge;
  /** `lbpoc_worker_restarts_total`: worker threads replaced. Starts at 0. */
  readonly workerRestartsTotal: Counter;
  /** `lbpoc_load_probes_total{backend,result}`; `result` one of `LOAD_PROBE_RESULTS`. */
  readonly loadProbesTotal: LabelledCounter<LabelSetOf<B['loadProbesTotal']>>;
  /** `lbpoc_backend_load_report_age_seconds{backend}`. */
  readonly backendLoadReportAge: Gauge<LabelsOf<B['backendLoadReportAge']>>;
  /** `lbpoc_backend_reported_in_flight{backend}`. */
  readonly backendReportedInFlight: Gauge<LabelsOf<B['backendReportedInFlight']>>;
  /** `lbpoc_algorithm_faults_total{algorithm,fault}`; `fault` one of `ALGORITHM_FAULTS`. */
  readonly algorithmFaultsTotal: LabelledCounter<LabelSetOf<B['algorithmFaultsTotal']>>;
  /** `lbpoc_algorithm_gauge{algorithm,gauge}`: filled at each scrape from the sources of `readAlgorithmGauges`. */
  readonly algorithmGauge: Gauge<LabelsOf<B['algorithmGauge']>>;
  /**
   * Adds a source of `lbpoc_algorithm_gauge` values, read at every scrape (so keep it
   * cheap): `[algorithm, gauge, value]` triples. Returns a function that removes it.
   */
  readAlgorithmGauges(source: AlgorithmGaugeSource): () => void;
  /**
   * Drops every series labelled with `backend` (in flight, up, weight, requests,
   * durations, ejections, health checks, load probes and reports). Call it when a backend leaves the pool so its
   * last values are not exported forever.
   */
  forgetBackend(backend: string): Promise<void>;
}

/**
 * Creates the balancer's metric set on a new registry of its own (with Node.js default
 * metrics unless `defaultMetrics: false`). Call it once per balancer instance.
 */
export function createBalancerMetrics(options: BalancerMetricsOptions = {}): BalancerMetrics {
  const registry = createAppRegistry(options);
  const buckets = options.buckets ?? LATENCY_BUCKETS;
  const m = BALANCER_METRICS;

  const requestsTotal = defineCounter(m.requestsTotal, registry);
  const requestDuration = defineHistogram(m.requestDuration, registry, buckets);
  const inFlight = defineGauge(m.inFlight, registry);
  const backendUp = defineGauge(m.backendUp, registry);
  const backendWeight = defineGauge(m.backendWeight, registry);
  const retriesTotal = defineCounter(m.retriesTotal, registry);
  const adaptiveDecisionsTotal = defineCounter(m.adaptiveDecisionsTotal, registry);
  const noBackendTotal = defineCounter(m.noBackendTotal, registry);
  const rejectedRequestsTotal = defineCounter(m.rejectedRequestsTotal, registry);
  const backendEjectionsTotal = defineCounter(m.backendEjectionsTotal, registry);
  const healthChecksTotal = defineCounter(m.healthChecksTotal, registry);
  const panicMode: Gauge = defineGauge(m.panicMode, registry);
  const buildInfo = defineGauge(m.buildInfo, registry);
  const workers: Gauge = defineGauge(m.workers, registry);
  const workerRestartsTotal: Counter = defineCounter(m.workerRestartsTotal, registry);
  const loadProbesTotal = defineCounter(m.loadProbesTotal, registry);
  const backendLoadReportAge = defineGauge(m.backendLoadReportAge, registry);
  const backendReportedInFlight = defineGauge(m.backendReportedInFlight, registry);
  const algorithmFaultsTotal = defineCounter(m.algorithmFaultsTotal, registry);
  const gaugeSources = new Set<AlgorithmGaugeSource>();
  const algorithmGauge = new Gauge<LabelsOf<B['algorithmGauge']>>({
    name: m.algorithmGauge.name,
    help: m.algorithmGauge.help,
    labelNames: m.algorithmGauge.labels,
    registers: [registry],
    // Each worker thread has its own instance of a plugin: a sum would count one figure N times.
    aggregator: 'average',
    collect() {
      this.reset();
      for (const source of gaugeSources) for (const [algorithm, gauge, value] of source()) this.set({ algorithm, gauge }, value);
    },
  });

  // Present from the first scrape, so "is it in panic" and "which version" never read as absent.
  panicMode.set(0);
  buildInfo.set({ version: options.version ?? 'unknown' }, 1);
  workers.set(1);
  workerRestartsTotal.inc(0);

  const perBackend = [
    requestsTotal,
    requestDuration,
    inFlight,
    backendUp,
    backendWeight,
    backendEjectionsTotal,
    healthChecksTotal,
    loadProbesTotal,
    backendLoadReportAge,
    backendReportedInFlight,
  ];

  return {
    registry,
    requestsTotal,
    requestDuration,
    inFlight,
    backendUp,
    backendWeight,
    retriesTotal,
    adaptiveDecisionsTotal,
    noBackendTotal,
    rejectedRequestsTotal,
    backendEjectionsTotal,
    healthChecksTotal,
    panicMode,
    buildInfo,
    workers,
    workerRestartsTotal,
    loadProbesTotal,
    backendLoadReportAge,
    backendReportedInFlight,
    algorithmFaultsTotal,
    algorithmGauge,
    readAlgorithmGauges(source) {
      gaugeSources.add(source);
      return () => gaugeSources.delete(source);
    },
    async forgetBackend(backend) {
      for (const metric of perBackend) await removeSeries(metric, 'backend', backend);
    },
  };
}
