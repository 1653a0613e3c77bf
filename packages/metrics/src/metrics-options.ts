/** Options shared by `createBalancerMetrics` and `createBackendMetrics`. */
export interface MetricsOptions {
  /**
   * Also collect prom-client's default process and Node.js metrics (`process_*`,
   * `nodejs_*`) on the app's registry. Default `true`: CPU, memory, event-loop lag and
   * GC are what explain a latency curve, and they cost nothing until scraped.
   */
  readonly defaultMetrics?: boolean;
  /** Labels added to every series of the registry, for example `{ role: 'canary' }`. Keep values bounded. */
  readonly defaultLabels?: Readonly<Record<string, string>>;
  /** Latency histogram bucket bounds in seconds. Default `LATENCY_BUCKETS`. */
  readonly buckets?: readonly number[];
}
