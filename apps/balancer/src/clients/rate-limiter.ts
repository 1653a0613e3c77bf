import { clientKey } from './client-key.js';

/** `RATE_LIMIT_*`: a token bucket per client (an IPv4 address, an IPv6 prefix). */
export interface RateLimitConfig {
  /** Tokens added per second: the sustained request rate one client may keep up. */
  readonly ratePerSecond: number;
  /** Bucket size: how many requests a client that was quiet may send at once. */
  readonly burst: number;
  /** Clients remembered at most (2 or more); those not seen for longest are forgotten first. */
  readonly maxClients: number;
  /** `CLIENT_IPV6_PREFIX`: IPv6 clients share a bucket per prefix of this many bits (32..128). */
  readonly ipv6Prefix: number;
}

/** What the front door needs of a rate limiter: this process's (`RateLimiter`) or the one shared by worker threads. */
export interface ClientRateLimiter {
  readonly config: RateLimitConfig;
  /** Takes a token for the client at `address`: 0 when the request may pass, else the whole seconds until it may (Retry-After). */
  take(address: string): number;
}

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date, in ms on the limiter's clock. */
  updated: number;
}

/**
 * Per-client token buckets in bounded memory, O(1) per request: one or two map lookups and
 * a refill computed from the time since the client's last request (no timers).
 *
 * Clients live in two generations of at most `maxClients / 2` each. A client seen in the
 * older generation moves to the current one; when the current one is full it becomes the
 * older one and the previous older one is dropped whole. So a client active at least once
 * per generation is never forgotten, memory never exceeds `maxClients` buckets, and no
 * request pays for eviction (a least-recently-used order kept in a Map costs a scan over
 * deleted slots on every eviction: tens of microseconds per request under a flood).
 * A forgotten client comes back with a full bucket, which is what it would have had after
 * a quiet spell of `burst / ratePerSecond` seconds; under a flood of more distinct
 * addresses than `maxClients` the limit errs on the lenient side, memory stays bounded.
 */
export class RateLimiter implements ClientRateLimiter {
  private current = new Map<string, Bucket>();
  private previous = new Map<string, Bucket>();
  private readonly generation: number;
  private readonly perMs: number;

  constructor(
    readonly config: RateLimitConfig,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.perMs = config.ratePerSecond / 1000;
    this.generation = Math.max(1, Math.floor(config.maxClients / 2));
  }

  /** Clients currently remembered (at most `maxClients`). */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  /**
   * Takes one token for the client at `address` (its bucket: `clientKey`, so one per IPv4
   * address and one per IPv6 prefix). Returns 0 when the request may pass, otherwise the
   * whole seconds (at least 1) until the client has a token again: the Retry-After value.
   */
  take(address: string): number {
    const client = clientKey(address, this.config.ipv6Prefix);
    const now = this.now();
    const { burst } = this.config;
    let bucket = this.current.get(client);
    if (bucket === undefined) {
      bucket = this.previous.get(client);
      if (bucket === undefined) {
        bucket = { tokens: burst, updated: now };
      } else {
        this.previous.delete(client);
      }
      if (this.current.size >= this.generation) {
        this.previous = this.current;
        this.current = new Map();
      }
      this.current.set(client, bucket);
    }
    const refilled = bucket.tokens + (now - bucket.updated) * this.perMs;
    bucket.tokens = Math.min(refilled, burst);
    bucket.updated = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.config.ratePerSecond));
  }
}
