/**
 * The simulated delay: how long the backend waits before answering an echo request.
 * A fixed number is what the seed had; ranges and distributions exist because real
 * backends are not constant, and latency-aware algorithms (least connections, P2C, peak
 * EWMA) only beat round robin when latency varies.
 *
 * Sampling takes the random source as an argument (uniform in [0, 1)), so tests and the
 * simulator can make it deterministic.
 */

/** Longest delay a spec may ask for, and the cap on any sample (a long tail stays finite). */
export const MAX_DELAY_MS = 60_000;

export type DelaySpec =
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  | { readonly kind: 'exponential'; readonly mean: number }
  | { readonly kind: 'normal'; readonly mean: number; readonly stddev: number };

export type DelayParseResult = { readonly ok: true; readonly spec: DelaySpec } | { readonly ok: false; readonly reason: string };

/** What a valid spec looks like, for error messages and docs. */
export const DELAY_FORMS =
  `milliseconds from 0 to ${MAX_DELAY_MS}: a fixed "50", a uniform range "20-80", ` +
  `an exponential distribution with that mean "exp:50", or a normal distribution "normal:50:10" (mean:stddev)`;

const NUMBER = /^(?:\d+(?:\.\d+)?|\.\d+)$/;

/** A non-negative millisecond amount within the cap, or undefined. */
function millis(text: string): number | undefined {
  const trimmed = text.trim();
  if (!NUMBER.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value <= MAX_DELAY_MS ? value : undefined;
}

/** Parses a `SIMULATED_DELAY` value. Never throws: a bad spec comes back with the reason. */
export function parseDelay(text: string): DelayParseResult {
  const spec = text.trim().toLowerCase();
  const fail = (why: string): DelayParseResult => ({ ok: false, reason: `${why}; expected ${DELAY_FORMS}` });

  if (spec.startsWith('exp:')) {
    const mean = millis(spec.slice(4));
    return mean === undefined ? fail('the exponential mean is not a number of milliseconds') : { ok: true, spec: { kind: 'exponential', mean } };
  }
  if (spec.startsWith('normal:')) {
    const parts = spec.slice(7).split(':');
    const [mean, stddev] = parts.map(millis);
    if (parts.length !== 2 || mean === undefined || stddev === undefined) {
      return fail('a normal distribution needs a mean and a standard deviation in milliseconds');
    }
    return { ok: true, spec: { kind: 'normal', mean, stddev } };
  }
  const dash = spec.indexOf('-');
  if (dash > 0) {
    const min = millis(spec.slice(0, dash));
    const max = millis(spec.slice(dash + 1));
    if (min === undefined || max === undefined) return fail('a range needs two numbers of milliseconds');
    if (min > max) return fail(`the range starts above where it ends (${min} > ${max})`);
    return { ok: true, spec: { kind: 'uniform', min, max } };
  }
  const ms = millis(spec);
  return ms === undefined ? fail('not a number of milliseconds') : { ok: true, spec: { kind: 'fixed', ms } };
}

/**
 * Draws one delay in milliseconds, clamped to [0, MAX_DELAY_MS]. `random` must be
 * uniform in [0, 1); the normal distribution uses two draws (Box-Muller).
 */
export function sampleDelay(spec: DelaySpec, random: () => number): number {
  let ms: number;
  switch (spec.kind) {
    case 'fixed':
      ms = spec.ms;
      break;
    case 'uniform':
      ms = spec.min + random() * (spec.max - spec.min);
      break;
    case 'exponential':
      ms = -spec.mean * Math.log(1 - random());
      break;
    case 'normal': {
      const radius = Math.sqrt(-2 * Math.log(1 - random()));
      ms = spec.mean + spec.stddev * radius * Math.cos(2 * Math.PI * random());
      break;
    }
  }
  return Math.min(MAX_DELAY_MS, Math.max(0, ms));
}

/** The spec in the same notation it is written in, for logs. */
export function formatDelay(spec: DelaySpec): string {
  switch (spec.kind) {
    case 'fixed':
      return `${spec.ms}`;
    case 'uniform':
      return `${spec.min}-${spec.max}`;
    case 'exponential':
      return `exp:${spec.mean}`;
    case 'normal':
      return `normal:${spec.mean}:${spec.stddev}`;
  }
}
