import type { BackendLoad } from '@lbpoc/registry';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { TrafficSecond } from '../status-page/traffic-windows.js';

/** A backend as the primary describes it to the workers: where it is, its effective weight, its shared-memory slot. */
export interface BackendWire {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly weight: number;
  /** Index in SharedInFlight; -1 when every slot is taken (its in-flight count is then not shared). */
  readonly slot: number;
}

/** What a worker thread starts with (`workerData`). */
export interface WorkerStart {
  /** The worker's seat: its share of SharedInFlight, kept by its replacement. */
  readonly index: number;
  readonly maxWorkers: number;
  /** The traffic port every worker listens on (SO_REUSEPORT). */
  readonly port: number;
  readonly redirectPort: number | undefined;
  readonly inFlight: SharedArrayBuffer;
  readonly rateLimit: SharedArrayBuffer | undefined;
  readonly eligible: readonly BackendWire[];
  readonly defaultAlgorithm: string;
  readonly version: string;
}

/** A backend's load as the primary's prober got it, `ageMs` ago (thread clocks have different origins). */
export interface ProbedLoad {
  readonly id: string;
  readonly load: BackendLoad;
  readonly ageMs: number;
}

/** Primary -> worker. */
export type ToWorker =
  | { readonly type: 'pool'; readonly eligible: readonly BackendWire[] }
  | { readonly type: 'load'; readonly reports: readonly ProbedLoad[] }
  | { readonly type: 'default-algorithm'; readonly name: string }
  | { readonly type: 'collect-metrics'; readonly request: number }
  | { readonly type: 'shutdown' };

/**
 * Request events, three numbers each: backend slot, what happened (REQUEST_EVENT), and
 * the latency in ms (-1: none). The primary replays them on its pool, so its counters,
 * latency averages and outlier detection see every worker's requests.
 */
export const REQUEST_EVENT = {
  acquire: 0,
  success: 1,
  http_5xx: 2,
  connect_failure: 3,
  timeout: 4,
  /** Released without an outcome (the client left). */
  none: 5,
} as const;

export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

/** Worker -> primary. */
export type FromWorker =
  | { readonly type: 'listening'; readonly port: number; readonly redirectPort: number | undefined }
  | { readonly type: 'requests'; readonly events: Float64Array }
  | { readonly type: 'metrics'; readonly request: number; readonly metrics: MetricsJson }
  | { readonly type: 'drained'; readonly inTime: boolean }
  /** Once a second: what the worker's requests did, for the status page (`reportTraffic`). */
  | { readonly type: 'traffic'; readonly second: TrafficSecond };
