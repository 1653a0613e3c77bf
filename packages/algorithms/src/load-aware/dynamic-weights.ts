import { InvalidAlgorithmOptionError } from '../errors.js';
import { weightOf } from '../server-load.js';
import { SmoothWeightedRoundRobin } from '../smooth-weighted-round-robin.js';
import type { DynamicWeightsInsight, DynamicWeightsOptions, LoadAwareAlgorithm, Server } from '../types.js';
import { reportAge } from './load-report.js';
import { ObservedRate } from './observed-rate.js';
import { resolveDynamicWeightsOptions } from './options.js';
import { reportedWeight } from './reported-weight.js';

/** A58's per-endpoint weight state. */
interface WeightState {
  /** The last usable (> 0) weight derived from a report; 0 before any. */
  weight: number;
  /** `receivedAt` of the report it came from (A58's last_update_time). */
  updatedAt: number;
  /** Since when the server has had a usable weight without expiring (A58's non_empty_since); NaN when not. */
  nonEmptySince: number;
  /** `receivedAt` of the last report looked at, so each report is read once. */
  seen: number;
}

/** What smooth WRR is handed: one per server, its weight rewritten on every pick. */
interface Slot {
  readonly id: string;
  readonly index: number;
  weight: number;
}

/**
 * Weights from what the backends report, as gRPC's `weighted_round_robin` (proposal A58)
 * and Envoy's `client_side_weighted_round_robin` compute them from ORCA load reports:
 * weight = qps / (utilization + errorUtilizationPenalty x eps / qps) (`reportedWeight`).
 * A backend that completes twice the requests per unit of utilization gets twice the
 * traffic, whatever its configured weight, and outside load on it (utilization the
 * balancer did not cause) lowers its weight.
 *
 * - **Updates.** Every `weightUpdatePeriod` (1 s) of the clock, on the next pick, each
 *   server's current `load` report is read (once per report). A report giving a usable
 *   weight (> 0) refreshes the server's weight; the first one starts its blackout.
 * - **Blackout and expiry.** A weight is used only once the server has reported usable
 *   weights for `blackoutPeriod` (10 s): the first reports of a starting backend describe
 *   its warm-up. A weight not refreshed for `weightExpiration` (3 min) is dropped and the
 *   blackout starts over when reports resume.
 * - **Fallback.** Servers without a usable weight get the mean of the usable ones (A58).
 *   With fewer than two usable weights, every server gets its configured weight instead,
 *   so the algorithm is `weighted_round_robin` until reports come (start-up, blackout,
 *   backends that do not report). `inspect()` says which servers are on the fallback.
 * - **qps** comes from the reports or from this balancer's own completions per server
 *   (`observe()` calls per `qpsWindow`), per `qpsSource`; `auto` takes the reported qps when
 *   every eligible server's report has one, else the observed for all, so that all weights
 *   are in one unit. With several balancers each counts only its own completions, but as
 *   they divide by the same total utilization the weights stay proportional to capacity.
 * - **Configured weights** otherwise only drain: weight 0 (or negative, NaN) never picks,
 *   read live on every pick. A configured weight is not multiplied in, since the reported
 *   qps per utilization already measures the capacity it stands for.
 * - **Selection** is smooth weighted round robin (nginx's, `SmoothWeightedRoundRobin`) over
 *   the current weights, where A58 uses an earliest-deadline-first schedule: the same
 *   proportions, spread evenly, and the rotation carries on across weight updates.
 *
 * Complexity: O(n) per pick (drain check and smooth WRR); O(n) per weight update. No
 * allocation per pick once the list is adopted.
 */
export class DynamicWeights implements LoadAwareAlgorithm {
  readonly name = 'dynamic_weights';
  readonly lastUsed = 'dynamic_weights';
  private readonly options: DynamicWeightsOptions;
  private readonly rates: ObservedRate;
  private readonly wrr = new SmoothWeightedRoundRobin();
  private states = new Map<string, WeightState>();
  private snapshot: readonly Server[] | undefined;
  private stateAt: WeightState[] = [];
  private slots: Slot[] = [];
  /** The weight of each index until the next update; NaN before the first. */
  private current = new Float64Array(0);
  private fromReport = new Uint8Array(0);
  private updatedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly now: () => number,
    options: Partial<DynamicWeightsOptions> = {},
  ) {
    if (typeof now !== 'function') {
      throw new InvalidAlgorithmOptionError('now', 'dynamic_weights needs a clock, for example { now: () => performance.now() }');
    }
    this.options = resolveDynamicWeightsOptions(options);
    this.rates = new ObservedRate(this.options.qpsWindow);
  }

  pick<S extends Server>(servers: readonly S[]): S | undefined {
    const now = this.now();
    if (servers !== this.snapshot || servers.length !== this.slots.length) this.adopt(servers);
    if (!(now - this.updatedAt < this.options.weightUpdatePeriod)) this.update(servers, now);
    for (let i = 0; i < servers.length; i++) this.slots[i]!.weight = weightOf(servers[i]!) > 0 ? this.current[i]! : 0;
    const slot = this.wrr.pick(this.slots);
    return slot === undefined ? undefined : servers[slot.index];
  }

  /** Counts a completion towards the server's observed qps; the latency is not used. */
  observe(serverId: string, _latency?: number): void {
    this.rates.observe(serverId, this.now());
  }

  /** Each server's weight now and whether it is its own (report) or the fallback, as of the last update. */
  inspect(servers: readonly Server[]): readonly DynamicWeightsInsight[] {
    const now = this.now();
    const same = servers === this.snapshot && !Number.isNaN(this.current[0] ?? Number.NaN);
    return servers.map((server, i): DynamicWeightsInsight => {
      const state = same ? this.stateAt[i] : this.states.get(server.id);
      const load = server.load;
      return {
        algorithm: 'dynamic_weights',
        id: server.id,
        source: same && this.fromReport[i] === 1 ? 'report' : 'fallback',
        reportAge: load === undefined || !Number.isFinite(load.receivedAt) ? undefined : reportAge(load, now),
        weight: weightOf(server) > 0 ? (same ? this.current[i]! : weightOf(server)) : 0,
        reportedWeight: state === undefined || state.weight === 0 ? undefined : state.weight,
      };
    });
  }

  /** Reads new reports, then sets `current`: usable weights, the mean for the others, or configured weights. */
  private update(servers: readonly Server[], now: number): void {
    this.updatedAt = now;
    const useReportedQps = this.usesReportedQps(servers);
    let usable = 0;
    let sum = 0;
    for (let i = 0; i < servers.length; i++) {
      const server = servers[i]!;
      const state = this.stateAt[i]!;
      this.read(server, state, useReportedQps, now);
      const weight = this.usableWeight(state, now);
      this.current[i] = weight;
      this.fromReport[i] = weight > 0 ? 1 : 0;
      if (weight > 0 && weightOf(server) > 0) {
        usable++;
        sum += weight;
      }
    }
    const mean = usable > 0 ? sum / usable : 0;
    for (let i = 0; i < servers.length; i++) {
      if (usable < 2) {
        this.current[i] = weightOf(servers[i]!);
        this.fromReport[i] = 0;
      } else if (this.fromReport[i] === 0) {
        this.current[i] = mean;
      }
    }
  }

  /** Takes a report not read before into the server's A58 state. */
  private read(server: Server, state: WeightState, useReportedQps: boolean, now: number): void {
    const report = server.load;
    // Only the time matters here: a report without an in-flight count (NaN) still gives a weight.
    if (report === undefined || !Number.isFinite(report.receivedAt) || report.receivedAt === state.seen) return;
    state.seen = report.receivedAt;
    const qps = useReportedQps ? report.qps : this.rates.rateOf(server.id, now);
    const weight = reportedWeight(report, qps, this.options.errorUtilizationPenalty);
    if (weight === 0) return; // A58: a report without a usable weight changes nothing
    if (Number.isNaN(state.nonEmptySince)) state.nonEmptySince = report.receivedAt;
    state.updatedAt = report.receivedAt;
    state.weight = weight;
  }

  /** A58's getWeight: 0 when expired (which also restarts the blackout) or still in the blackout. */
  private usableWeight(state: WeightState, now: number): number {
    if (state.weight === 0) return 0;
    if (now - state.updatedAt >= this.options.weightExpiration) {
      state.nonEmptySince = Number.NaN;
      state.weight = 0;
      return 0;
    }
    const blackout = this.options.blackoutPeriod;
    if (blackout > 0 && (Number.isNaN(state.nonEmptySince) || now - state.nonEmptySince < blackout)) return 0;
    return state.weight;
  }

  /** qps source for this update: reported, observed, or (auto) reported if every eligible server's report has a qps. */
  private usesReportedQps(servers: readonly Server[]): boolean {
    const source = this.options.qpsSource;
    if (source !== 'auto') return source === 'reported';
    for (const server of servers) {
      if (weightOf(server) === 0) continue;
      const qps = server.load?.qps;
      if (qps === undefined || !(qps >= 0 && Number.isFinite(qps))) return false;
    }
    return true;
  }

  /** A new list: states kept by id, one slot per server (a new array, so smooth WRR carries its scores over by id). */
  private adopt(servers: readonly Server[]): void {
    const states = new Map<string, WeightState>();
    this.stateAt = servers.map((server) => {
      const state = states.get(server.id) ??
        this.states.get(server.id) ?? { weight: 0, updatedAt: Number.NEGATIVE_INFINITY, nonEmptySince: Number.NaN, seen: Number.NaN };
      states.set(server.id, state);
      return state;
    });
    this.states = states;
    if (this.rates.size > 2 * servers.length + 64) this.rates.retainOnly(new Set(states.keys()));
    this.slots = servers.map((server, index) => ({ id: server.id, index, weight: 0 }));
    this.current = new Float64Array(servers.length).fill(Number.NaN);
    this.fromReport = new Uint8Array(servers.length);
    this.snapshot = servers;
    this.updatedAt = Number.NEGATIVE_INFINITY; // recompute for the new list on this pick
  }
}
