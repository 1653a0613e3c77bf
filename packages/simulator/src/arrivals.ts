import { exponential } from './service-time.js';

/**
 * When requests arrive (rates in requests per time unit).
 *
 * - `poisson`: independent arrivals at a constant rate, the textbook open-system model.
 * - `on-off`: a two-state Markov-modulated Poisson process. Bursts (`onRate` for
 *   exponentially distributed periods of mean `meanOn`) alternate with lulls (`offRate`,
 *   mean `meanOff`). Same mean rate as a Poisson stream can have, far worse queues: this
 *   is what makes a policy's reaction to transient overload visible.
 */
export type ArrivalProcess =
  | { readonly kind: 'poisson'; readonly rate: number }
  | {
      readonly kind: 'on-off';
      readonly onRate: number;
      readonly offRate: number;
      readonly meanOn: number;
      readonly meanOff: number;
    };

/** The long-run mean arrival rate. */
export function meanArrivalRate(process: ArrivalProcess): number {
  if (process.kind === 'poisson') return process.rate;
  return (process.onRate * process.meanOn + process.offRate * process.meanOff) / (process.meanOn + process.meanOff);
}

/**
 * A generator of successive arrival times starting at time 0. The on-off process starts in
 * a burst. Because every phase is exponential (memoryless), a gap that would cross a
 * phase boundary is simply redrawn from the boundary at the new phase's rate.
 */
export function createArrivalSampler(process: ArrivalProcess, random: () => number): () => number {
  validate(process);
  let now = 0;
  if (process.kind === 'poisson') {
    const mean = 1 / process.rate;
    return () => (now += exponential(random, mean));
  }
  let on = true;
  let phaseEnd = exponential(random, process.meanOn);
  return () => {
    for (;;) {
      const rate = on ? process.onRate : process.offRate;
      const next = rate > 0 ? now + exponential(random, 1 / rate) : Number.POSITIVE_INFINITY;
      if (next <= phaseEnd) return (now = next);
      now = phaseEnd;
      on = !on;
      phaseEnd = now + exponential(random, on ? process.meanOn : process.meanOff);
    }
  };
}

function validate(process: ArrivalProcess): void {
  const positive = (name: string, value: number, allowZero = false): void => {
    if (!((allowZero ? value >= 0 : value > 0) && Number.isFinite(value))) {
      throw new RangeError(`arrivals: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} finite number, got ${value}`);
    }
  };
  if (process.kind === 'poisson') {
    positive('rate', process.rate);
    return;
  }
  positive('onRate', process.onRate, true);
  positive('offRate', process.offRate, true);
  positive('meanOn', process.meanOn);
  positive('meanOff', process.meanOff);
  if (process.onRate + process.offRate === 0) throw new RangeError('arrivals: onRate and offRate cannot both be 0');
}
