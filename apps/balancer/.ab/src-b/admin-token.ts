import { createHash, timingSafeEqual } from 'node:crypto';
import type { EnvReader } from './env-reader.js';

/** Printable ASCII without spaces, long enough not to be guessed. */
const ACCEPTABLE_TOKEN = /^[\x21-\x7e]{16,1024}$/;

/**
 * `ADMIN_TOKEN`, the bearer token that unlocks the admin API's write routes. Only its
 * SHA-256 digest is kept: comparing digests of equal length with `timingSafeEqual`
 * takes the same time whatever the guess, so neither the token's content nor its length
 * leaks through response timing, and the object cannot print the secret by accident.
 */
export class AdminToken {
  private readonly digest: Buffer;

  constructor(token: string) {
    this.digest = sha256(token);
  }

  static read(read: EnvReader): AdminToken | undefined {
    const token = read.raw('ADMIN_TOKEN');
    if (token === undefined) return undefined;
    if (!ACCEPTABLE_TOKEN.test(token)) {
      read.problem('ADMIN_TOKEN', '16 to 1024 printable ASCII characters without spaces, e.g. from `openssl rand -hex 32`');
      return undefined;
    }
    return new AdminToken(token);
  }

  /** True when `authorization` is `Bearer <the token>` (scheme case-insensitive, RFC 6750). */
  accepts(authorization: string | undefined): boolean {
    if (authorization === undefined) return false;
    const match = /^bearer +(\S+) *$/i.exec(authorization);
    return match !== null && timingSafeEqual(this.digest, sha256(match[1]!));
  }

  toJSON(): string {
    return '[redacted]';
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
