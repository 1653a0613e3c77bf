import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { type BalancerMetrics, createBalancerMetrics } from '@lbpoc/metrics';
import { type Backend, BackendPool, type RequestOutcome } from '@lbpoc/registry';
import type { Logger } from 'pino';
import { AggregatorRegistry } from 'prom-client';
import { createAdminServer } from '../admin/admin-server.js';
import { type Balancer, logListening } from '../balancer.js';
import type { BalancerConfig } from '../config/config.js';
import { loadAwareInUse } from '../load/load-aware-in-use.js';
import { LoadProber } from '../load/load-prober.js';
import { createDiscoverySource } from '../pool/discovery-source.js';
import { watchPool } from '../pool/pool-metrics.js';
import { RequestRecorder } from '../proxy/request-recorder.js';
import { loadAlgorithmModules } from '../routing/algorithm-modules.js';
import { AlgorithmSet } from '../routing/algorithm-set.js';
import { TrafficWindows } from '../status-page/traffic-windows.js';
import type { BackendWire, FromWorker, MetricsJson, ProbedLoad, ToWorker, WorkerStart } from './messages.js';
import { REQUEST_EVENT } from './messages.js';
import { SharedInFlight } from './shared-in-flight.js';
import { SharedRateLimiter } from './shared-rate-limiter.js';
import { SlotTable } from './slot-table.js';

/** The metrics only workers record (the request path); the primary's own copies of them stay empty. */
const WORKER_METRICS = new Set([
  'lbpoc_requests_total',
  'lbpoc_request_duration_seconds',
  'lbpoc_retries_total',
  'lbpoc_adaptive_decisions_total',
  'lbpoc_no_backend_total',
  'lbpoc_rejected_requests_total',
  // Each worker's own plugin instances report these (averaged: see @lbpoc/metrics).
  'lbpoc_algorithm_gauge',
  'lbpoc_algorithm_faults_total',
]);
/** A replacement for a worker that died starts after this long (a crash loop is not a busy loop). */
const RESPAWN_DELAY_MS = 200;
/**
 * Each worker's young generation, in MiB: what the image's `--max-semi-space-size=8` gives
 * the main thread (two 8 MiB semi-spaces and the space they are promoted through), which a
 * worker thread cannot take as a flag. See BENCHMARKS.md on why it is small.
 */
const YOUNG_GENERATION_MB = 24;
/** Probe answers are sent to the workers in batches gathered over this long (a round's answers arrive within ms of each other). */
const PROBE_BATCH_MS = 20;
/** A worker that does not answer a metrics collection in this time is left out of that scrape. */
const COLLECT_TIMEOUT_MS = 1000;

/** REQUEST_EVENT codes back to outcomes (acquire and `none` have none). */
const OUTCOMES: readonly (RequestOutcome | undefined)[] = [undefined, 'success', 'http_5xx', 'connect_failure', 'timeout', undefined];

interface Seat {
  readonly index: number;
  worker: Worker | undefined;
  /** Per backend slot: the requests this seat's worker started and has not yet reported ended, with the backend they went to. */
  readonly outstanding: Map<number, { backend: Backend; count: number }>;
  drained: ((inTime: boolean) => void) | undefined;
}

/**
 * `WORKERS` of 2 or more: this thread is the primary. It owns what must be one (discovery,
 * the backend pool with its health checks and ejections, the admin port, the metrics
 * endpoint) and runs `workers` worker threads, each with its own traffic server on the
 * same port (SO_REUSEPORT: the kernel spreads connections over them). What every worker
 * must see alike lives in shared memory: requests in flight per backend, rate-limit
 * buckets. The eligible backends and admin changes are sent to every worker as they
 * change; every request's start and end come back in batches and are replayed on the
 * pool, so health feedback, counters and `/backends` cover all workers.
 */
export async function startPrimary(config: BalancerConfig, log: Logger, version: string, entry: string): Promise<Balancer> {
  const workers = config.workers;
  const plugins = await loadAlgorithmModules(config); // checked here, once, before any worker loads them
  const metrics = createBalancerMetrics({ version });
  const pool = new BackendPool(createDiscoverySource(config.discovery, log), config.pool);
  const recorder = new RequestRecorder(metrics);
  const traffic = new TrafficWindows(); // the status page's figures: the workers send theirs each second
  const shared = new SharedInFlight(workers);
  const slots = new SlotTable(SharedInFlight.SLOTS);
  const rateLimit = config.frontDoor.rateLimit === undefined ? undefined : new SharedRateLimiter(config.frontDoor.rateLimit);
  const seats: Seat[] = Array.from({ length: workers }, (_, index) => ({ index, worker: undefined, outstanding: new Map(), drained: undefined }));
  const broadcast = (message: ToWorker) => {
    for (const seat of seats) seat.worker?.postMessage(message);
  };
  const algorithms = new AlgorithmSet(config.defaultAlgorithm, () => performance.now(), Date.now(), {
    plugins,
    onDefaultChange: (name) => broadcast({ type: 'default-algorithm', name }),
  });

  const wire = (): BackendWire[] => {
    const slotOf = slots.update(
      pool.all().map((b) => b.id),
      (slot) => shared.get(slot),
    );
    return pool.eligible().map((b) => ({ id: b.id, host: b.host, port: b.port, weight: b.weight, slot: slotOf.get(b.id) ?? -1 }));
  };
  const publish = () => broadcast({ type: 'pool', eligible: wire() });
  const running = () => seats.filter((seat) => seat.worker !== undefined).length;
  pool.addEventListener('change', publish);

  // Until every worker listens, /readyz says not ready (the admin port answers from the start).
  let accepting = false;
  const admin = createAdminServer({
    pool,
    metrics,
    algorithms,
    accepting: () => accepting,
    adminToken: config.adminToken,
    log,
    metricsSource: { contentType: metrics.registry.contentType, metrics: () => aggregatedMetrics(metrics, seats) },
    traffic,
    workers: {
      configured: workers,
      running: () => running(),
      restart(index) {
        const worker = seats[index]?.worker;
        if (worker === undefined) return false;
        void worker.terminate();
        return true;
      },
    },
  });
  const stopWatching = watchPool(pool, metrics, recorder, log);
  // The probes' answers go to the primary's pool (/backends, metrics) and, batched, to every worker.
  let probed: ProbedLoad[] = [];
  let probedAt = 0;
  const flushProbes = () => {
    const now = performance.now();
    broadcast({ type: 'load', reports: probed.map((p) => ({ ...p, ageMs: p.ageMs + (now - probedAt) })) });
    probed = [];
  };
  const inUse = () => loadAwareInUse(algorithms, traffic);
  const prober = new LoadProber(pool, metrics, config.loadProbe, inUse, (id, load) => {
    if (probed.length === 0) {
      probedAt = performance.now();
      setTimeout(flushProbes, PROBE_BATCH_MS).unref();
    }
    probed.push({ id, load, ageMs: performance.now() - probedAt });
  });
  await pool.start();
  prober.start();

  // The first worker binds the configured ports; with PORT=0 it reports the one it got,
  // and every other worker (and any replacement) binds that one too (SO_REUSEPORT).
  let port = config.port;
  let redirectPort = config.frontDoor.tls?.redirectPort;

  let closing = false;
  const spawn = (seat: Seat): Promise<void> => {
    const start: WorkerStart = {
      index: seat.index,
      maxWorkers: workers,
      port,
      redirectPort,
      inFlight: shared.buffer,
      rateLimit: rateLimit?.buffer,
      eligible: wire(),
      defaultAlgorithm: algorithms.default.name,
      version,
    };
    // No execArgv: a worker inherits the process's node options; V8 flags (the image's
    // --max-semi-space-size) are refused in it, and the young generation is set per worker here.
    const worker = new Worker(entry, { workerData: start, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    seat.worker = worker;
    const listening = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'listening') {
          port = message.port;
          redirectPort = message.redirectPort;
          metrics.workers.set(running());
          resolve();
        } else if (message.type === 'requests') replay(seat, message.events);
        else if (message.type === 'traffic') traffic.addSecond(message.second);
        else if (message.type === 'drained') seat.drained?.(message.inTime);
      });
      worker.once('error', (error) => {
        log.error({ worker: seat.index, err: error }, 'worker failed');
        reject(error);
      });
    });
    worker.once('exit', (code) => {
      seat.worker = undefined;
      metrics.workers.set(running());
      seat.drained?.(false);
      const released = forget(seat);
      if (closing) return;
      metrics.workerRestartsTotal.inc();
      log.error({ worker: seat.index, code, requests_cut: released }, 'worker exited: starting a replacement');
      setTimeout(() => {
        if (!closing) spawn(seat).catch((error: Error) => log.error({ worker: seat.index, err: error.message }, 'replacement worker failed to start'));
      }, RESPAWN_DELAY_MS).unref();
    });
    return listening;
  };

  /** Replays a worker's request events on the pool: counters, latency average, outlier detection. */
  const replay = (seat: Seat, events: Float64Array) => {
    for (let i = 0; i < events.length; i += 3) {
      const slot = events[i]!;
      const event = events[i + 1]!;
      if (event === REQUEST_EVENT.acquire) {
        const id = slots.idOf(slot);
        const backend = id === undefined ? undefined : pool.get(id);
        if (backend === undefined) continue;
        const held = seat.outstanding.get(slot);
        if (held === undefined || held.backend !== backend) seat.outstanding.set(slot, { backend, count: 1 });
        else held.count++;
        pool.acquire(backend);
        continue;
      }
      const held = seat.outstanding.get(slot);
      if (held === undefined || held.count === 0) continue;
      held.count--;
      const latencyMs = events[i + 2]!;
      const outcome = OUTCOMES[event];
      pool.release(held.backend, outcome === undefined ? {} : latencyMs >= 0 ? { outcome, latencyMs } : { outcome });
    }
  };

  /** A worker is gone: its requests are no longer in flight, on the pool or in shared memory. */
  const forget = (seat: Seat): number => {
    shared.forgetWorker(seat.index);
    let released = 0;
    for (const held of seat.outstanding.values()) {
      for (; held.count > 0; held.count--, released++) pool.release(held.backend, {});
    }
    seat.outstanding.clear();
    return released;
  };

  // The admin port first: whoever sees the traffic port answer can read /backends too.
  admin.listen(config.metricsPort, config.metricsHost);
  await once(admin, 'listening');
  const metricsPort = (admin.address() as AddressInfo).port;
  await spawn(seats[0]!);
  await Promise.all(seats.slice(1).map(spawn));
  accepting = true;
  logListening(log, config, { port, metricsPort, redirectPort, backends: pool.all().map((b) => b.id), workers });

  let closed: Promise<number> | undefined;
  const close = () =>
    (closed ??= (async () => {
      accepting = false;
      closing = true;
      const results = await Promise.all(
        seats.map(
          (seat) =>
            new Promise<boolean>((resolve) => {
              if (seat.worker === undefined) return resolve(true);
              seat.drained = resolve;
              seat.worker.postMessage({ type: 'shutdown' } satisfies ToWorker);
            }),
        ),
      );
      const cut = results.every(Boolean) ? 0 : seats.reduce((sum, seat) => sum + [...seat.outstanding.values()].reduce((n, h) => n + h.count, 0), 0);
      await Promise.all(seats.map((seat) => seat.worker?.terminate()));
      stopWatching();
      await prober.close();
      pool.removeEventListener('change', publish);
      await pool.close();
      await new Promise<void>((resolve) => admin.close(() => resolve()));
      admin.closeAllConnections();
      return cut;
    })());

  return {
    pool,
    metrics,
    server: undefined,
    admin,
    redirectPort,
    port,
    metricsPort,
    close,
  };
}

/** `/metrics` over every thread: the primary's registry, plus each worker's request-path metrics, summed. */
async function aggregatedMetrics(metrics: BalancerMetrics, seats: readonly Seat[]): Promise<string> {
  const fromWorkers = await Promise.all(seats.map((seat) => collect(seat)));
  const own = (await metrics.registry.getMetricsAsJSON()) as MetricsJson;
  const merged = AggregatorRegistry.aggregate([own, ...fromWorkers.map((json) => json.filter((metric) => WORKER_METRICS.has(metric.name)))]);
  return merged.metrics();
}

let nextRequest = 0;

function collect(seat: Seat): Promise<MetricsJson> {
  const worker = seat.worker;
  if (worker === undefined) return Promise.resolve([]);
  const request = nextRequest++;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      worker.off('message', onMessage);
      resolve([]);
    }, COLLECT_TIMEOUT_MS);
    const onMessage = (message: FromWorker) => {
      if (message.type !== 'metrics' || message.request !== request) return;
      clearTimeout(timer);
      worker.off('message', onMessage);
      resolve(message.metrics);
    };
    worker.on('message', onMessage);
    worker.postMessage({ type: 'collect-metrics', request } satisfies ToWorker);
  });
}
