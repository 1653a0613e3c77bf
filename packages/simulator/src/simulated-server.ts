import type { LoadReport, Server } from '@lbpoc/algorithms';
import { FifoQueue } from './fifo-queue.js';
import { LoadMeter, type Measurement } from './load-meter.js';
import type { ServerSpec } from './model.js';
import { DEFAULT_REPORT_WINDOW } from './reporting.js';

/**
 * A backend during a run, as a policy is handed it: one balancer's view of it. `inFlight`
 * is that balancer's own count (requests it sent and has no answer for yet, queued or in
 * service), exactly what a real proxy can count; with one balancer and no outside load it
 * is the backend's whole queue. `load` is the backend's last report to this balancer, if
 * the model has backends report. `speed`, `concurrency` and `backendInFlight` are the
 * truth no balancer sees (only the oracle reads them).
 */
export interface SimulatedServer extends Server {
  readonly id: string;
  readonly weight: number;
  /** This balancer's requests queued or in service there. */
  readonly inFlight: number;
  /** What the backend last reported to this balancer (a probe's answer or a response's), if anything. */
  readonly load?: LoadReport;
  /** The backend's current speed (it may change during a run). */
  readonly speed: number;
  readonly concurrency: number;
  /** Requests queued or in service at the backend from every balancer and from outside. */
  readonly backendInFlight: number;
  /** Balancer requests the backend completed. */
  readonly handled: number;
}

/** What `release` hands back when the freed slot goes to a waiting probe. */
export const PROBE_JOB = -2_147_483_648;

/**
 * The simulator's model of a backend: `concurrency` slots, a FIFO queue of jobs (balancer
 * requests are numbered from 0, outside requests from -1 down), probes served ahead of the
 * queue, and a `LoadMeter` for what it reports. Also a `SimulatedServer` (its own view,
 * `inFlight` = everything in flight), which is what the oracle's tests hand it.
 */
export class QueueingServer implements SimulatedServer {
  readonly id: string;
  readonly weight: number;
  speed: number;
  readonly concurrency: number;
  /** Requests queued or in service here, from every source (probes not included). */
  inFlight = 0;
  /** Balancer requests completed here. */
  handled = 0;
  readonly meter: LoadMeter;
  private busySlots = 0;
  private waitingProbes = 0;
  private readonly waiting = new FifoQueue();

  constructor(
    spec: ServerSpec,
    /** Position in the model's server list. */
    readonly index = 0,
    window = DEFAULT_REPORT_WINDOW,
  ) {
    this.id = spec.id;
    this.weight = spec.weight ?? 1;
    this.speed = spec.speed ?? 1;
    this.concurrency = spec.concurrency ?? 1;
    this.meter = new LoadMeter(window);
  }

  get backendInFlight(): number {
    return this.inFlight;
  }

  /** Time this server takes, at its current speed, for `work` units. */
  serviceTime(work: number): number {
    return work / this.speed;
  }

  /** A request (job) arrives: true if a slot is free and it starts now, false if it queues. */
  admit(job: number, now = 0): boolean {
    this.inFlight++;
    if (this.busySlots < this.concurrency) {
      this.occupy(now);
      return true;
    }
    this.waiting.push(job);
    return false;
  }

  /** A probe's work arrives: true if it starts now, false if it waits (ahead of every queued request). */
  admitProbe(now: number): boolean {
    if (this.busySlots < this.concurrency) {
      this.occupy(now);
      return true;
    }
    this.waitingProbes++;
    return false;
  }

  /** A request finishes: the next job to start in the freed slot (`PROBE_JOB` for a probe), if any. */
  complete(now = 0, fromBalancer = true): number | undefined {
    this.inFlight--;
    if (fromBalancer) this.handled++;
    return this.release(now);
  }

  /** A probe's work finishes: the next job to start in the freed slot, if any. */
  completeProbe(now: number): number | undefined {
    return this.release(now);
  }

  /** The report this backend would send now. */
  measure(now: number): Measurement {
    return this.meter.measure(now, this.inFlight);
  }

  private release(now: number): number | undefined {
    if (this.waitingProbes > 0) {
      this.waitingProbes--;
      return PROBE_JOB;
    }
    const next = this.waiting.shift();
    if (next === undefined) {
      this.busySlots--;
      this.meter.setBusy(now, this.busySlots / this.concurrency);
    }
    return next;
  }

  private occupy(now: number): void {
    this.busySlots++;
    this.meter.setBusy(now, this.busySlots / this.concurrency);
  }
}

/** One balancer's view of a backend: its own in-flight count and the reports it received; the rest read through. */
export class ServerView implements SimulatedServer {
  readonly id: string;
  readonly weight: number;
  readonly concurrency: number;
  inFlight = 0;
  load?: LoadReport;

  constructor(
    readonly backend: QueueingServer,
    /** Which balancer this view belongs to. */
    readonly balancer: number,
  ) {
    this.id = backend.id;
    this.weight = backend.weight;
    this.concurrency = backend.concurrency;
  }

  get speed(): number {
    return this.backend.speed;
  }

  get backendInFlight(): number {
    return this.backend.inFlight;
  }

  get handled(): number {
    return this.backend.handled;
  }
}
