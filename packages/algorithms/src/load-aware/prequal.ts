import { InvalidAlgorithmOptionError } from '../errors.js';
import { inFlightOf, weightOf } from '../server-load.js';
import type { LoadAwareAlgorithm, PrequalInsight, PrequalOptions, Server } from '../types.js';
import { freshReport, nonNegative, reportAge } from './load-report.js';
import { LatencyTrack, ObservedLatency } from './observed-latency.js';
import { resolvePrequalOptions } from './options.js';
import { quantileInPlace } from './quantile.js';

/** The track of a server never observed (read-only use: `inspect` must not add tracks). */
const UNOBSERVED = new LatencyTrack(1);

/** Where this balancer's own count stood when it first saw a server's current report. */
interface Anchor {
  /** `receivedAt` of that report; NaN before any. */
  receivedAt: number;
  /** This balancer's in-flight count on the server at that moment. */
  ownInFlight: number;
}

/**
 * Prequal (Wydrowski, Kleinberg, Rumble, Sen: "Load is not what you should balance:
 * Introducing Prequal", NSDI 2024, deployed at YouTube): pick by requests in flight (RIF)
 * and latency as the backends report them, hot-cold lexicographically (HCL).
 *
 * - **The probe pool is the servers' reports.** The balancer probes (or reads a response
 *   header) and stores the latest `LoadReport` on each server; a report older than
 *   `maxAge` (1 s) is not used. Each pick compares at most `poolSize` (16) eligible
 *   servers, a random subset when there are more (the paper's random probe targets).
 * - **RIF estimate.** A fresh report's `inFlight`, plus the change in this balancer's own
 *   in-flight count since it first saw that report, and never less than its own count: the
 *   requests it sent since are on the backend whatever the report says. This stands in for
 *   the paper's bump of a probe's RIF each time the probe is used, so a burst of picks
 *   between two reports does not all land on the same "coldest" server.
 * - **Hot or cold.** A server is hot when its RIF per unit of weight is above the
 *   `hotQuantile` (0.84) quantile, linearly interpolated, of its pool's RIF per unit of
 *   weight (as in the paper, the quantile of the probe pool: with up to `poolSize` servers
 *   the pool is all of them). Among the cold servers, the lowest latency wins; a tie goes
 *   to the lower RIF, then to chance.
 * - **Latency** is the latency a request sent now can expect: the report's `latency`
 *   (ideally the backend's estimate at its current RIF, as the paper's servers compute
 *   it), scaled by (RIF estimate + 1) / (reported RIF + 1) for the requests this balancer
 *   added since; else this balancer's own samples from `observe()`, as latency per request
 *   in flight times (own count + 1) (`ObservedLatency`, decayed over `latencyDecay`, if
 *   the last sample is at most `maxAge` old). Latency is taken to grow linearly with the
 *   queue. A server with no known latency ranks first while idle (so it gets a request and
 *   a measurement) and last once it has requests in flight.
 * - **Fallback.** A server without a fresh report is ranked on this balancer's own view:
 *   its own in-flight count and its own latency samples. That undercounts what other
 *   balancers and outside load put on it; `inspect()` says which servers are in that case.
 * - **Weights.** Weight 0 (or negative, NaN) never picks. Otherwise the weight divides the
 *   RIF (hot/cold and ties compare in flight per unit of weight, as least connections
 *   does); latencies are compared as they are, since a bigger server shows its capacity
 *   in its latency already.
 *
 * Complexity: O(n) per pick for the weight check, O(poolSize) for the rest (estimates,
 * quickselect for the quantile, the choice). No allocation per pick once the list is adopted.
 */
export class Prequal implements LoadAwareAlgorithm {
  readonly name = 'prequal';
  readonly lastUsed = 'prequal';
  private readonly options: PrequalOptions;
  private readonly latencies: ObservedLatency;
  private anchors = new Map<string, Anchor>();
  private snapshot: readonly Server[] | undefined;
  /** Index of each id in the snapshot, for `observe` to read the server's count. */
  private indexOf = new Map<string, number>();
  /** Per index of the snapshot: its anchor, its own latency samples, and this pick's estimates (raw and per unit of weight). */
  private anchorAt: Anchor[] = [];
  private trackAt: LatencyTrack[] = [];
  private inFlight = new Float64Array(0);
  private rif = new Float64Array(0);
  private pool = new Int32Array(0);
  private scratch = new Float64Array(0);
  /** This pick's hot threshold (a field: a returned double may be boxed on every pick). */
  private threshold = 0;

  constructor(
    private readonly random: () => number,
    private readonly now: () => number,
    options: Partial<PrequalOptions> = {},
  ) {
    if (typeof now !== 'function') throw new InvalidAlgorithmOptionError('now', 'prequal needs a clock, for example { now: () => performance.now() }');
    this.options = resolvePrequalOptions(options);
    this.latencies = new ObservedLatency(this.options.latencyDecay);
  }

  pick<S extends Server>(servers: readonly S[]): S | undefined {
    if (servers !== this.snapshot || servers.length !== this.anchorAt.length) this.adopt(servers);
    const now = this.now();
    const eligible = this.listEligible(servers);
    if (eligible === 0) return undefined;
    const size = this.drawPool(eligible);
    this.estimatePool(servers, size, now);
    this.hotThreshold(size);
    return servers[this.choose(servers, size, now)];
  }

  observe(serverId: string, latency: number): void {
    const index = this.indexOf.get(serverId);
    const server = index === undefined ? undefined : this.snapshot?.[index];
    this.latencies.track(serverId).observe(latency, this.now(), server === undefined ? 0 : inFlightOf(server));
  }

  /** Each server's source (report or fallback), estimates and hot/cold, as a pick now would see them. */
  inspect(servers: readonly Server[]): readonly PrequalInsight[] {
    const now = this.now();
    const same = servers === this.snapshot;
    const estimates = servers.map((server, i) => this.inFlightEstimate(server, same ? this.anchorAt[i] : this.anchors.get(server.id), now, false));
    const loads = Float64Array.from(servers.flatMap((server, i) => (weightOf(server) > 0 ? [estimates[i]! / weightOf(server)] : [])));
    const threshold = loads.length > 0 ? quantileInPlace(loads, loads.length, this.options.hotQuantile) : Number.POSITIVE_INFINITY;
    return servers.map((server, i): PrequalInsight => {
      const weight = weightOf(server);
      const latency = this.expectedLatency(server, this.latencies.find(server.id) ?? UNOBSERVED, now, estimates[i]!);
      return {
        algorithm: 'prequal',
        id: server.id,
        source: freshReport(server, now, this.options.maxAge) === undefined ? 'fallback' : 'report',
        reportAge: server.load === undefined || !Number.isFinite(server.load.receivedAt) ? undefined : reportAge(server.load, now),
        inFlight: estimates[i]!,
        latency: Number.isNaN(latency) ? undefined : latency,
        hot: weight > 0 && estimates[i]! / weight > threshold,
      };
    });
  }

  /** Lists the indices of the eligible servers (weight > 0) in `pool`; returns how many there are. */
  private listEligible(servers: readonly Server[]): number {
    const pool = this.pool;
    let eligible = 0;
    for (let i = 0; i < servers.length; i++) if (weightOf(servers[i]!) > 0) pool[eligible++] = i;
    return eligible;
  }

  /** Fills `inFlight` and `rif` (per unit of weight) for the pool's servers, anchoring reports they show for the first time. */
  private estimatePool(servers: readonly Server[], size: number, now: number): void {
    const { inFlight, rif, pool, anchorAt } = this; // locals: the loop runs once per pool member per pick
    for (let k = 0; k < size; k++) {
      const i = pool[k]!;
      const server = servers[i]!;
      const estimate = this.inFlightEstimate(server, anchorAt[i], now, true);
      inFlight[i] = estimate;
      rif[i] = estimate / weightOf(server);
    }
  }

  /**
   * The requests in flight on `server`: from a fresh report, the reported count plus this
   * balancer's change since it first saw the report, never below its own count; without
   * one, its own count. With `mayAnchor`, a report seen for the first time records this
   * balancer's current count as the baseline of later changes.
   */
  private inFlightEstimate(server: Server, anchor: Anchor | undefined, now: number, mayAnchor: boolean): number {
    const own = inFlightOf(server);
    const report = freshReport(server, now, this.options.maxAge);
    if (report === undefined) return own;
    let baseline = own;
    if (anchor !== undefined) {
      if (anchor.receivedAt === report.receivedAt) baseline = anchor.ownInFlight;
      else if (mayAnchor) {
        anchor.receivedAt = report.receivedAt;
        anchor.ownInFlight = own;
      }
    }
    return Math.max(own, report.inFlight + own - baseline);
  }

  /**
   * The latency a request sent to `server` now can expect, NaN when unknown: a fresh
   * report's, scaled from its count to `estimate`, else this balancer's own samples at its
   * own count.
   */
  private expectedLatency(server: Server, track: LatencyTrack, now: number, estimate: number): number {
    const report = freshReport(server, now, this.options.maxAge);
    const reported = report === undefined ? Number.NaN : nonNegative(report.latency);
    if (report === undefined || Number.isNaN(reported)) return track.latencyAt(now, this.options.maxAge, inFlightOf(server));
    return (reported * (estimate + 1)) / (report.inFlight + 1);
  }

  /** Sets `threshold`: the quantile of the pool's RIF per unit of weight. */
  private hotThreshold(size: number): void {
    for (let k = 0; k < size; k++) this.scratch[k] = this.rif[this.pool[k]!]!;
    this.threshold = quantileInPlace(this.scratch, size, this.options.hotQuantile);
  }

  /** Keeps `poolSize` of the eligible indices, drawn uniformly (partial Fisher-Yates), at the front of `pool`. */
  private drawPool(eligible: number): number {
    const size = Math.min(eligible, this.options.poolSize);
    if (size === eligible) return size;
    for (let k = 0; k < size; k++) {
      const j = k + Math.floor(this.random() * (eligible - k));
      const swap = this.pool[k]!;
      this.pool[k] = this.pool[j]!;
      this.pool[j] = swap;
    }
    return size;
  }

  /** Hot-cold lexicographic choice among `pool[0, size)`: returns a server index. */
  private choose(servers: readonly Server[], size: number, now: number): number {
    const threshold = this.threshold;
    let best = -1;
    let bestCold = false;
    let bestFirst = 0;
    let bestSecond = 0;
    let ties = 0;
    for (let k = 0; k < size; k++) {
      const index = this.pool[k]!;
      const rif = this.rif[index]!;
      const cold = rif <= threshold;
      if (bestCold && !cold) continue;
      const latency = rankLatency(this.expectedLatency(servers[index]!, this.trackAt[index]!, now, this.inFlight[index]!), rif);
      // Cold: latency, then RIF. Hot (only while no cold one is found): RIF, then latency.
      const first = cold ? latency : rif;
      const second = cold ? rif : latency;
      const better = best < 0 || (cold && !bestCold) || first < bestFirst || (first === bestFirst && second < bestSecond);
      if (better) {
        best = index;
        bestCold = cold;
        bestFirst = first;
        bestSecond = second;
        ties = 1;
      } else if (first === bestFirst && second === bestSecond && this.random() * ++ties < 1) {
        best = index; // reservoir sampling: each of k exact ties kept with probability 1/k
      }
    }
    return best;
  }

  /** A new list: per-index anchors (kept by id across lists), buffers sized to it, state of departed servers dropped. */
  private adopt(servers: readonly Server[]): void {
    const anchors = new Map<string, Anchor>();
    this.anchorAt = servers.map((server) => {
      const anchor = anchors.get(server.id) ?? this.anchors.get(server.id) ?? { receivedAt: Number.NaN, ownInFlight: 0 };
      anchors.set(server.id, anchor);
      return anchor;
    });
    this.anchors = anchors;
    this.indexOf = new Map(servers.map((server, index) => [server.id, index]));
    if (this.latencies.size > 2 * servers.length + 64) this.latencies.retainOnly(new Set(anchors.keys()));
    this.trackAt = servers.map((server) => this.latencies.track(server.id));
    if (this.rif.length < servers.length) {
      this.inFlight = new Float64Array(servers.length);
      this.rif = new Float64Array(servers.length);
      this.pool = new Int32Array(servers.length);
      this.scratch = new Float64Array(servers.length);
    }
    this.snapshot = servers;
  }
}

/** Latency for ranking: unknown counts as 0 while the server is idle (to measure it), else as the worst. */
function rankLatency(latency: number, rif: number): number {
  if (!Number.isNaN(latency)) return latency;
  return rif === 0 ? 0 : Number.POSITIVE_INFINITY;
}
