import type { Server } from '@lbpoc/algorithms';
import { FifoQueue } from './fifo-queue.js';
import type { ServerSpec } from './model.js';

/**
 * A backend during a run, as a policy is handed it. `inFlight` is the balancer's view:
 * requests sent and not yet answered, whether queued at the server or in service, exactly
 * what a real proxy can count. `speed` and `concurrency` are the truth the balancer does
 * not know (only the oracle reads them).
 */
export interface SimulatedServer extends Server {
  readonly id: string;
  readonly weight: number;
  readonly speed: number;
  readonly concurrency: number;
  /** Requests queued or in service here. */
  readonly inFlight: number;
  /** Requests completed here. */
  readonly handled: number;
}

/** The simulator's model behind a `SimulatedServer`: `concurrency` slots and a FIFO queue. */
export class QueueingServer implements SimulatedServer {
  readonly id: string;
  readonly weight: number;
  readonly speed: number;
  readonly concurrency: number;
  /** Requests queued or in service here. */
  inFlight = 0;
  /** Requests completed here. */
  handled = 0;
  private busySlots = 0;
  private readonly waiting = new FifoQueue();

  constructor(spec: ServerSpec) {
    this.id = spec.id;
    this.weight = spec.weight ?? 1;
    this.speed = spec.speed ?? 1;
    this.concurrency = spec.concurrency ?? 1;
  }

  /** Time this server takes for a request of `work` units. */
  serviceTime(work: number): number {
    return work / this.speed;
  }

  /** A request arrives: true if a slot is free and it starts now, false if it queues. */
  admit(request: number): boolean {
    this.inFlight++;
    if (this.busySlots < this.concurrency) {
      this.busySlots++;
      return true;
    }
    this.waiting.push(request);
    return false;
  }

  /** A request finishes: the next queued request to start in the freed slot, if any. */
  complete(): number | undefined {
    this.inFlight--;
    this.handled++;
    const next = this.waiting.shift();
    if (next === undefined) this.busySlots--;
    return next;
  }
}
