import type { IncomingMessage, ServerResponse } from 'node:http';
import { Adaptive, type Algorithm, DEFAULT_ADAPTIVE_THRESHOLDS, isLoadAware } from '@lbpoc/algorithms';
import type { BalancerMetrics } from '@lbpoc/metrics';
import { type Backend, type BackendPool, type DiscoverySource, StaticSource } from '@lbpoc/registry';
import { sendJson } from '../json-response.js';
import type { AlgorithmSet } from '../routing/algorithm-set.js';
import { adaptiveView } from './adaptive-view.js';
import { backendRow } from './backend-row.js';
import { CheckAges } from './check-ages.js';
import { EventStream, eventFrame } from './event-stream.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { STATUS_PAGE_PATHS, serveAsset } from './static-assets.js';
import { HistoryRing, round } from './status-history.js';
import type { AlgorithmRow, StatusHello, StatusSnapshot } from './status-types.js';
import { TrafficWindows } from './traffic-windows.js';

/**
 * The status page's bounds. 16 viewers: a team's worth of open tabs; each costs one
 * socket and a write per second, and the page is for people, not for scraping (that is
 * /metrics). 1 MiB: about 300 seconds of events for a small pool, so only a viewer that
 * stopped reading is dropped.
 */
export const STATUS_PAGE_LIMITS = {
  /** Event streams open at once; one more gets 503 (`too_many_viewers`, Retry-After: 10). */
  maxViewers: 16,
  /** Unread bytes a viewer may leave queued before it is dropped. */
  maxBufferedBytes: 1024 * 1024,
  /** Time between two points (and two events). */
  tickMs: 1000,
} as const;

export type StatusPageLimits = { readonly [K in keyof typeof STATUS_PAGE_LIMITS]: number };

export interface StatusPageDeps {
  readonly pool: BackendPool;
  readonly algorithms: AlgorithmSet;
  readonly metrics: BalancerMetrics;
  /** False once shutdown began: the streams end and new ones are refused, so the admin port can close. */
  readonly accepting: () => boolean;
  /** ADMIN_TOKEN is set, so the page's controls can work. */
  readonly adminWrites: boolean;
  /**
   * Where finished requests are recorded: the `RequestRecorder`'s (with worker threads, the
   * primary's, which adds up what the workers send). Without it the page shows no traffic.
   */
  readonly traffic?: TrafficWindows;
  /** Worker threads serving now (`WorkerControl.running`); default: one. */
  readonly workers?: () => number;
  /** `STATUS_PAGE_LIMITS` unless given (tests use smaller ones). */
  readonly limits?: StatusPageLimits;
}

export interface StatusPage {
  /** Finished requests go here (from `RequestRecorder`). */
  readonly traffic: TrafficWindows;
  /** Answers the page's paths (GET and HEAD); false for any other request. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean;
  /** The state as the page sees it now. */
  snapshot(): StatusSnapshot;
  /** Stops the clock and ends every event stream. */
  close(): void;
}

/** How a row names where its backend came from: `static`, `docker container` or `swarm task`. */
export function sourceLabel(source: DiscoverySource): string {
  if (source instanceof StaticSource) return 'static';
  // DockerSource (in @lbpoc/registry/docker, not loaded here) keeps its resolved options.
  const mode = (source as { readonly options?: { readonly mode?: unknown } }).options?.mode;
  return mode === 'swarm' ? 'swarm task' : 'docker container';
}

/**
 * The live status page on the admin port: `/` (the page), its script, stylesheet and
 * icon (bundled into the balancer: see asset-build.ts), `/status-page/events` (server-sent
 * events, one a second) and `/status-page/snapshot` (the same state as JSON).
 *
 * Once a second, whether anyone watches or not, it closes the traffic windows' current
 * second and adds a point to the five-minute history; with viewers, it serializes the
 * state once and writes it to each of them. When shutdown begins (`accepting()` false)
 * the next tick sends the last state and ends the streams, so the admin port can close.
 */
export function createStatusPage(deps: StatusPageDeps): StatusPage {
  const { pool, algorithms, metrics } = deps;
  const limits = deps.limits ?? STATUS_PAGE_LIMITS;
  const traffic = deps.traffic ?? new TrafficWindows();
  const workers = deps.workers ?? (() => 1);
  const stream = new EventStream(limits);
  const history = new HistoryRing();
  const checks = new CheckAges();
  const source = sourceLabel(pool.source);
  let latest: StatusSnapshot | undefined;
  let decisionsSeen = new Map<string, number>();
  let decisionsPerSecond: Record<string, number> = {};
  let busy = false;
  /** Shutdown seen: the last event went out, the streams ended. */
  let ended = false;

  const timer = setInterval(() => void tick(), limits.tickMs);
  timer.unref();

  async function tick(): Promise<void> {
    traffic.rotate();
    if (busy) return; // a slow tick (a stalled event loop) is skipped, never stacked
    busy = true;
    try {
      const now = Date.now();
      checks.observe(pool.all(), now);
      traffic.keepBackends(new Set(pool.all().map((backend) => backend.id)));
      decisionsPerSecond = await adaptiveDecisions();
      const snapshot = build(now);
      latest = snapshot;
      history.push(
        now,
        snapshot.backends.map((row) => ({ id: row.id, rps: row.rps, p99Ms: row.p99_ms })),
        snapshot.algorithms.map((row) => ({ name: row.name, rps: row.rps })),
      );
      if (stream.count > 0) stream.send(eventFrame('status', JSON.stringify(snapshot)));
      if (!snapshot.accepting && !ended) {
        // Shutting down: viewers got the last state (which says so); end the streams so
        // the admin port can close, and refuse new ones from here on.
        ended = true;
        stream.close();
      }
    } finally {
      busy = false;
    }
  }

  /**
   * Requests adaptive delegated in the last second, per choice: from this thread's
   * `lbpoc_adaptive_decisions_total`, plus what worker threads reported (`TrafficWindows.addSecond`).
   */
  async function adaptiveDecisions(): Promise<Record<string, number>> {
    const { values } = await metrics.adaptiveDecisionsTotal.get();
    const next = new Map<string, number>();
    const perSecond: Record<string, number> = {};
    const seconds = limits.tickMs / 1000;
    for (const { labels, value } of values) {
      const choice = String(labels.choice);
      next.set(choice, value);
      perSecond[choice] = round((value - (decisionsSeen.get(choice) ?? value)) / seconds, 2);
    }
    decisionsSeen = next;
    for (const [choice, count] of Object.entries(traffic.reportedDecisions())) perSecond[choice] = round((perSecond[choice] ?? 0) + count / seconds, 2);
    return perSecond;
  }

  function build(now: number): StatusSnapshot {
    const poolNow = pool.options.clock.now();
    const healthCheck = pool.options.healthCheck;
    const prequal = prequalView(algorithms.get('prequal')!, pool.eligible());
    const backends = pool.all().map((backend) =>
      backendRow(backend, traffic.backend(backend.id), {
        source,
        panic: pool.panic,
        now,
        poolNow,
        lastCheck: healthCheck === false ? null : checks.of(backend, now),
        prequal: prequal.get(backend.id),
      }),
    );
    const selector = algorithms.get('adaptive')!;
    const eligible = pool.eligible();
    // This thread's instance: its thresholds, and its signals (report freshness, its latency averages).
    const adaptive =
      selector instanceof Adaptive
        ? adaptiveView(eligible, selector.thresholds, selector.lastUsed, decisionsPerSecond, selector.explain(eligible))
        : adaptiveView(eligible, DEFAULT_ADAPTIVE_THRESHOLDS, selector.lastUsed, decisionsPerSecond);
    const rows: AlgorithmRow[] = algorithms.names.map((name) => {
      if (name === 'adaptive') {
        // Its requests are recorded under the algorithm it delegated each one to (as in
        // x-lbpoc-algorithm and lbpoc_requests_total): its own rate is its decisions.
        const rps = Object.values(adaptive.decisions_per_s).reduce((sum, value) => sum + value, 0);
        return { name, is_default: algorithms.default.name === name, rps: round(rps, 2), requests_10s: 0, error_rate: null, p50_ms: null, p99_ms: null };
      }
      const summary = traffic.algorithm(name);
      return {
        name,
        is_default: algorithms.default.name === name,
        rps: round(summary.rps, 2),
        requests_10s: summary.requests,
        error_rate: summary.requests > 0 ? round(summary.errors / summary.requests, 4) : null,
        p50_ms: summary.p50Ms === null ? null : round(summary.p50Ms, 3),
        p99_ms: summary.p99Ms === null ? null : round(summary.p99Ms, 3),
      };
    });
    return {
      t: now,
      accepting: deps.accepting(),
      default_algorithm: algorithms.default.name,
      panic: pool.panic,
      panic_threshold: pool.options.panicThreshold,
      admin_writes: deps.adminWrites,
      health_checks:
        healthCheck === false
          ? null
          : { interval_ms: healthCheck.intervalMs, timeout_ms: healthCheck.timeoutMs, rise: healthCheck.rise, fall: healthCheck.fall },
      slow_start_ms: pool.options.slowStartMs,
      viewers: { count: stream.count, max: stream.max },
      workers: workers(),
      totals: {
        rps: round(
          backends.reduce((sum, row) => sum + row.rps, 0),
          2,
        ),
        in_flight: backends.reduce((sum, row) => sum + row.in_flight, 0),
      },
      backends,
      algorithms: rows,
      adaptive,
    };
  }

  /** The latest tick's state, with the live parts (default algorithm, viewers) current. */
  function snapshot(): StatusSnapshot {
    const base = latest ?? build(Date.now());
    return {
      ...base,
      accepting: deps.accepting(),
      default_algorithm: algorithms.default.name,
      admin_writes: deps.adminWrites,
      viewers: { count: stream.count, max: stream.max },
      workers: workers(),
    };
  }

  function handle(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (path === STATUS_PAGE_PATHS.events) {
      if (ended || !deps.accepting()) {
        req.resume();
        sendJson(
          res,
          503,
          { error: 'shutting_down', message: 'the balancer is shutting down' },
          { ...SECURITY_HEADERS, 'cache-control': 'no-store', connection: 'close' },
        );
        return true;
      }
      stream.open(req, res, () => {
        const hello: StatusHello = { history: history.toJSON(), snapshot: snapshot() };
        return eventFrame('hello', JSON.stringify(hello));
      });
      return true;
    }
    if (path === STATUS_PAGE_PATHS.snapshot) {
      req.resume();
      sendJson(res, 200, snapshot(), { ...SECURITY_HEADERS, 'cache-control': 'no-store' });
      return true;
    }
    return serveAsset(req, res, path);
  }

  return {
    traffic,
    handle,
    snapshot,
    close() {
      clearInterval(timer);
      stream.close();
    },
  };
}

/** prequal's view of each eligible backend now (this thread's instance: its reports are the primary's probes). */
function prequalView(algorithm: Algorithm, eligible: readonly Backend[]): Map<string, 'hot' | 'cold' | 'fallback'> {
  const view = new Map<string, 'hot' | 'cold' | 'fallback'>();
  if (!isLoadAware(algorithm)) return view;
  for (const insight of algorithm.inspect(eligible)) {
    if (insight.algorithm !== 'prequal') continue;
    view.set(insight.id, insight.source === 'fallback' ? 'fallback' : insight.hot ? 'hot' : 'cold');
  }
  return view;
}
