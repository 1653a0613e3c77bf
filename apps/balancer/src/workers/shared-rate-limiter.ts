import { clientKey } from '../clients/client-key.js';
import type { ClientRateLimiter, RateLimitConfig } from '../clients/rate-limiter.js';

/** Ints per bucket in the lock-and-key array: lock word, key hash (two halves), spare. */
const INTS = 4;
/** Doubles per bucket: tokens, when they were last brought up to date (ms since the epoch). */
const DOUBLES = 2;
/** Buckets looked at for a key before the least recently used of them is taken over. */
const PROBES = 8;

/**
 * Token buckets per client in one SharedArrayBuffer, so that a client's limit is the same
 * whichever worker thread serves it (nginx's `limit_req_zone` is the same idea). A fixed
 * open-addressing table of a power of two at least twice `maxClients`: a client's key
 * (`clientKey`: an IPv4 address, an IPv6 prefix) hashes to 64 bits; it is looked for in
 * PROBES buckets from there; a new client takes an empty one or, when all are in use,
 * the one idle longest (its client comes back later with a full bucket, erring on the
 * lenient side, as the single-process limiter does). Each bucket has a lock word taken
 * with a compare-and-swap; the work under it is a few arithmetic operations.
 *
 * Time is `performance.timeOrigin + performance.now()`: one monotonic clock, the same in
 * every thread of the process.
 */
export class SharedRateLimiter implements ClientRateLimiter {
  readonly buffer: SharedArrayBuffer;
  private readonly ints: Int32Array;
  private readonly doubles: Float64Array;
  private readonly mask: number;
  private readonly perMs: number;

  constructor(
    readonly config: RateLimitConfig,
    buffer?: SharedArrayBuffer,
  ) {
    const buckets = SharedRateLimiter.bucketsFor(config.maxClients);
    this.buffer = buffer ?? new SharedArrayBuffer(buckets * (INTS * 4 + DOUBLES * 8));
    this.doubles = new Float64Array(this.buffer, 0, buckets * DOUBLES);
    this.ints = new Int32Array(this.buffer, buckets * DOUBLES * 8, buckets * INTS);
    this.mask = buckets - 1;
    this.perMs = config.ratePerSecond / 1000;
  }

  static bucketsFor(maxClients: number): number {
    let buckets = 1024;
    while (buckets < maxClients * 2) buckets *= 2;
    return buckets;
  }

  take(address: string): number {
    const key = clientKey(address, this.config.ipv6Prefix);
    const [high, low] = hash64(key);
    const now = performance.timeOrigin + performance.now();
    const start = low & this.mask;
    let victim = start;
    let oldest = Number.POSITIVE_INFINITY;
    for (let probe = 0; probe < PROBES; probe++) {
      const bucket = (start + probe) & this.mask;
      const at = bucket * INTS;
      const h = Atomics.load(this.ints, at + 1);
      const l = Atomics.load(this.ints, at + 2);
      if ((h === high && l === low) || (h === 0 && l === 0)) return this.takeFrom(bucket, high, low, now);
      const updated = this.doubles[bucket * DOUBLES + 1]!;
      if (updated < oldest) {
        oldest = updated;
        victim = bucket;
      }
    }
    return this.takeFrom(victim, high, low, now);
  }

  /** Under the bucket's lock: claims it for the key if another (or none) holds it, refills, takes a token. */
  private takeFrom(bucket: number, high: number, low: number, now: number): number {
    const at = bucket * INTS;
    while (Atomics.compareExchange(this.ints, at, 0, 1) !== 0) {
      // Another thread is inside this bucket for a few instructions: try again.
    }
    try {
      const d = bucket * DOUBLES;
      const { burst } = this.config;
      if (Atomics.load(this.ints, at + 1) !== high || Atomics.load(this.ints, at + 2) !== low) {
        Atomics.store(this.ints, at + 1, high);
        Atomics.store(this.ints, at + 2, low);
        this.doubles[d] = burst;
        this.doubles[d + 1] = now;
      }
      const refilled = this.doubles[d]! + (now - this.doubles[d + 1]!) * this.perMs;
      let tokens = Math.min(refilled, burst);
      this.doubles[d + 1] = now;
      if (tokens >= 1) {
        this.doubles[d] = tokens - 1;
        return 0;
      }
      this.doubles[d] = tokens;
      tokens = Math.max(1, Math.ceil((1 - tokens) / this.config.ratePerSecond));
      return tokens;
    } finally {
      Atomics.store(this.ints, at, 0);
    }
  }
}

/** FNV-1a over the key, twice with different offsets: 64 bits, never all zero (zero marks an empty bucket). */
function hash64(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  if (a === 0 && b === 0) a = 1;
  return [a | 0, b | 0];
}
