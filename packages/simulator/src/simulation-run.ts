import { type Algorithm, type AlgorithmPlugin, isLoadAware, type LoadReport } from '@lbpoc/algorithms';
import { EventQueue } from './event-queue.js';
import { balancersOf, type SimulationModel, warmupOf } from './model.js';
import type { AlgorithmTuning, Policy, PolicyContext } from './policy.js';
import { createPolicy } from './policy.js';
import { ProbeTargets } from './probe-targets.js';
import { policyRandom, streamRandom } from './random-streams.js';
import { probes, type Reporting, resolveReporting } from './reporting.js';
import { createServiceTimeSampler, exponential } from './service-time.js';
import type { PolicySource } from './simulate.js';
import { PROBE_JOB, QueueingServer, ServerView } from './simulated-server.js';
import { Timeline } from './timeline.js';
import type { Workload } from './workload.js';

/** One balancer: its policy instance and its view of every backend. */
interface Balancer {
  readonly policy: Policy;
  readonly views: readonly ServerView[];
  /**
   * Whether it probes: only balancers whose policy reads reports do. `always`: a load-aware
   * algorithm; `delegating`: one that reads reports only while it delegates to a load-aware
   * algorithm (adaptive on prequal), so it probes for a request when its last pick was
   * delegated to one; `never`: the others.
   */
  readonly probing: 'always' | 'delegating' | 'never';
  readonly targets: ProbeTargets;
}

/** The algorithms that read reports (`isLoadAware`), by name: what a delegating policy probes for. */
const LOAD_AWARE_NAMES: ReadonlySet<string> = new Set(['prequal', 'dynamic_weights']);

/**
 * Whether a balancer running `instance` probes. A plugin probes if it declares `loadAware`,
 * as the balancer probes for it; its `lastUsed` is its own name, never a delegate's.
 */
function probingOf(instance: Policy, plugin: AlgorithmPlugin | undefined): Balancer['probing'] {
  if (plugin !== undefined) return plugin.loadAware === true ? 'always' : 'never';
  if (isLoadAware(instance as unknown as Algorithm)) return 'always';
  return instance.lastUsed !== undefined ? 'delegating' : 'never';
}

type Event =
  | { readonly kind: 'arrival'; readonly request: number }
  /** A job finishes at `backend`: a balancer request (job >= 0) or an outside one (job < 0). */
  | { readonly kind: 'completion'; readonly job: number; readonly backend: QueueingServer }
  | { readonly kind: 'probe-work'; readonly backend: QueueingServer }
  | { readonly kind: 'report'; readonly view: ServerView; readonly report: LoadReport }
  | { readonly kind: 'probe-tick'; readonly balancer: number; readonly backend: number }
  | { readonly kind: 'outside'; readonly backend: number }
  | { readonly kind: 'capacity'; readonly backend: QueueingServer; readonly speed: number };

/** What a finished run measured; `simulate` turns it into a `SimulationResult`. */
export interface RunOutcome {
  readonly policy: string;
  readonly latencies: Float64Array;
  readonly dropped: number;
  readonly duration: number;
  readonly backends: readonly QueueingServer[];
  readonly decisions: Record<string, number>;
  readonly probes: number;
  readonly probeWork: number;
  readonly timeline: Timeline | undefined;
}

/**
 * The discrete-event loop of one run: arrivals at the balancers, each balancer's pick on
 * its own views, the backends' slots and FIFO queues, outside load, capacity changes,
 * probes and their answers, reports on responses, completions fed back to the balancer
 * that sent the request. Every random draw comes from a seeded stream, and the streams
 * of traffic, outside load and probe targets do not depend on the policy, so every policy
 * faces the same demands.
 */
export class SimulationRun {
  private clock = 0;
  private readonly events = new EventQueue<Event>();
  private readonly reporting: Reporting;
  private readonly backends: QueueingServer[];
  private readonly balancers: Balancer[];
  private readonly warmup: number;
  private readonly latencies: Float64Array;
  /** Backend in-flight count each balancer request found on arrival (for the backend's latency-by-RIF estimate). */
  private readonly inFlightAtArrival: Int32Array;
  private readonly outside: { arrival: number; work: number; inFlightAtArrival: number }[] = [];
  private readonly outsideRandom: () => number;
  private readonly outsideWork: () => number;
  private readonly probeRandom: () => number;
  private readonly decisions: Record<string, number> = {};
  private readonly timeline: Timeline | undefined;
  private lastArrival: number;
  private dropped = 0;
  private probesSent = 0;

  constructor(
    private readonly model: SimulationModel,
    policy: PolicySource,
    private readonly workload: Workload,
    seed: number,
    tuning: AlgorithmTuning | undefined,
    timelineWindow: number | undefined,
  ) {
    this.reporting = resolveReporting(model.reporting);
    this.backends = model.servers.map((spec, index) => new QueueingServer(spec, index, this.reporting.window));
    const now = (): number => this.clock;
    const probeRandom = streamRandom(seed, 'probes');
    this.probeRandom = probeRandom;
    const plugin = typeof policy === 'object' ? policy : undefined;
    this.balancers = Array.from({ length: balancersOf(model) }, (_, b) => {
      const context: PolicyContext = { random: policyRandom(seed, b), now };
      const instance = typeof policy === 'function' ? policy(context) : createPolicy(policy, context, tuning);
      return {
        policy: instance,
        views: this.backends.map((backend) => new ServerView(backend, b)),
        probing: probes(this.reporting) ? probingOf(instance, plugin) : 'never',
        targets: new ProbeTargets(this.backends.length, this.reporting.probesPerRequest, probeRandom),
      };
    });
    this.warmup = warmupOf(model);
    this.latencies = new Float64Array(model.requests - this.warmup);
    this.inFlightAtArrival = new Int32Array(model.requests);
    this.outsideRandom = streamRandom(seed, 'outside');
    this.outsideWork = createServiceTimeSampler(model.service, this.outsideRandom);
    this.timeline = timelineWindow === undefined ? undefined : new Timeline(timelineWindow, this.backends.length);
    this.lastArrival = workload.arrivals[model.requests - 1]!;
  }

  run(): RunOutcome {
    this.schedule(this.workload.arrivals[0]!, { kind: 'arrival', request: 0 });
    this.backends.forEach((backend, index) => {
      for (const change of this.model.servers[index]!.capacityChanges ?? []) this.schedule(change.at, { kind: 'capacity', backend, speed: change.speed });
      const rate = this.model.servers[index]!.outsideRate ?? 0;
      if (rate > 0) this.schedule(exponential(this.outsideRandom, 1 / rate), { kind: 'outside', backend: index });
    });
    if (Number.isFinite(this.reporting.probeInterval)) {
      this.balancers.forEach((balancer, b) => {
        if (balancer.probing === 'never') return;
        for (let s = 0; s < this.backends.length; s++) {
          this.schedule(this.probeRandom() * this.reporting.probeInterval, { kind: 'probe-tick', balancer: b, backend: s });
        }
      });
    }
    for (let event = this.events.pop(); event !== undefined; event = this.events.pop()) {
      this.clock = event.time;
      this.handle(event.value);
    }
    return {
      policy: this.balancers[0]!.policy.name,
      latencies: this.latencies,
      dropped: this.dropped,
      duration: this.clock,
      backends: this.backends,
      decisions: this.decisions,
      probes: this.probesSent,
      probeWork: this.probesSent * this.reporting.probeCost,
      timeline: this.timeline,
    };
  }

  private handle(event: Event): void {
    switch (event.kind) {
      case 'arrival':
        this.arrive(event.request);
        break;
      case 'completion':
        this.complete(event.job, event.backend);
        break;
      case 'probe-work':
        this.startNext(event.backend, event.backend.completeProbe(this.clock));
        break;
      case 'report':
        event.view.load = event.report;
        break;
      case 'probe-tick':
        if (this.clock > this.lastArrival) break; // probing stops with the traffic, so the run can end
        if (this.probesNow(this.balancers[event.balancer]!)) this.probe(event.balancer, event.backend);
        this.schedule(this.clock + this.reporting.probeInterval, event);
        break;
      case 'outside':
        this.arriveFromOutside(event.backend);
        break;
      case 'capacity':
        event.backend.speed = event.speed;
        break;
    }
  }

  private arrive(request: number): void {
    const { arrivals, clients, addresses } = this.workload;
    if (request + 1 < this.model.requests) this.schedule(arrivals[request + 1]!, { kind: 'arrival', request: request + 1 });
    const b = this.workload.balancers?.[request] ?? 0;
    const balancer = this.balancers[b]!;
    if (this.reporting.probesPerRequest > 0 && this.probesNow(balancer)) {
      const count = balancer.targets.draw();
      const targets = balancer.targets.targets();
      for (let k = 0; k < count; k++) this.probe(b, targets[k]!);
    }
    const view = balancer.policy.pick(balancer.views, addresses[clients[request]!]);
    const used = balancer.policy.lastUsed;
    if (used !== undefined) this.decisions[used] = (this.decisions[used] ?? 0) + 1;
    if (view !== undefined && !(view instanceof ServerView && view.balancer === b)) {
      throw new TypeError(`policy ${balancer.policy.name} picked ${JSON.stringify(view.id)}, an object that is not one of the servers it was given`);
    }
    if (view === undefined) {
      this.dropped++;
      if (request >= this.warmup) this.latencies[request - this.warmup] = Number.NaN;
      return;
    }
    const backend = view.backend;
    view.inFlight++;
    this.timeline?.count(this.clock, backend.index);
    this.inFlightAtArrival[request] = backend.inFlight;
    if (backend.admit(request, this.clock)) this.start(request, backend);
  }

  private arriveFromOutside(index: number): void {
    if (this.clock > this.lastArrival) return; // outside load stops with the balancers' traffic, so the run can end
    const backend = this.backends[index]!;
    const job = -1 - this.outside.length;
    this.outside.push({ arrival: this.clock, work: this.outsideWork(), inFlightAtArrival: backend.inFlight });
    if (backend.admit(job, this.clock)) this.start(job, backend);
    const rate = this.model.servers[index]!.outsideRate!;
    this.schedule(this.clock + exponential(this.outsideRandom, 1 / rate), { kind: 'outside', backend: index });
  }

  private complete(job: number, backend: QueueingServer): void {
    if (job < 0) {
      const outside = this.outside[-1 - job]!;
      backend.meter.completed(this.clock, this.clock - outside.arrival, outside.inFlightAtArrival);
      this.startNext(backend, backend.complete(this.clock, false));
      return;
    }
    const latency = this.clock - this.workload.arrivals[job]!;
    if (job >= this.warmup) this.latencies[job - this.warmup] = latency;
    backend.meter.completed(this.clock, latency, this.inFlightAtArrival[job]!);
    this.startNext(backend, backend.complete(this.clock, true));
    const balancer = this.balancers[this.workload.balancers?.[job] ?? 0]!;
    const view = balancer.views[backend.index]!;
    view.inFlight--;
    if (this.reporting.onResponse) view.load = { ...backend.measure(this.clock), receivedAt: this.clock };
    balancer.policy.observe(backend.id, latency);
  }

  /** Whether `balancer` probes now: always for a load-aware policy; for adaptive, while its last pick went to a load-aware algorithm. */
  private probesNow(balancer: Balancer): boolean {
    if (balancer.probing === 'always') return true;
    return balancer.probing === 'delegating' && LOAD_AWARE_NAMES.has(balancer.policy.lastUsed!);
  }

  /** Balancer `b` probes backend `s`: the answer (the backend now) arrives `probeDelay` later; the work is charged at once. */
  private probe(b: number, s: number): void {
    const backend = this.backends[s]!;
    const receivedAt = this.clock + this.reporting.probeDelay;
    this.probesSent++;
    this.schedule(receivedAt, { kind: 'report', view: this.balancers[b]!.views[s]!, report: { ...backend.measure(this.clock), receivedAt } });
    if (this.reporting.probeCost > 0 && backend.admitProbe(this.clock)) this.startProbe(backend);
  }

  private startNext(backend: QueueingServer, next: number | undefined): void {
    if (next === PROBE_JOB) this.startProbe(backend);
    else if (next !== undefined) this.start(next, backend);
  }

  private start(job: number, backend: QueueingServer): void {
    const work = job >= 0 ? this.workload.work[job]! : this.outside[-1 - job]!.work;
    this.schedule(this.clock + backend.serviceTime(work), { kind: 'completion', job, backend });
  }

  private startProbe(backend: QueueingServer): void {
    this.schedule(this.clock + backend.serviceTime(this.reporting.probeCost), { kind: 'probe-work', backend });
  }

  private schedule(time: number, event: Event): void {
    this.events.push(time, event);
  }
}
