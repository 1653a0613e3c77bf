import { createHash, timingSafeEqual } from 'node:crypto';
import type { EnvReader } from '@lbpoc/service-kit';

// A token is printable ASCII without spaces (0x21-0x7e), long enough not to be guessed.
const MIN_LENGTH = 16;
const MAX_LENGTH = 1024;
const ALLOWED = `${MIN_LENGTH} to ${MAX_LENGTH} printable ASCII characters without spaces, e.g. from \`openssl rand -hex 32\``;

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

  /** `ADMIN_TOKEN`, read as a secret: a refused token is described, never printed. */
  static read(read: EnvReader): AdminToken | undefined {
    const token = read.secret('ADMIN_TOKEN', ALLOWED, tokenFlaw);
    return token === undefined ? undefined : new AdminToken(token);
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

/** What is wrong with a candidate token, without quoting it: its length, or its first bad character's kind and position. */
export function tokenFlaw(token: string): string | undefined {
  let position = 0;
  for (const char of token) {
    position++;
    const code = char.codePointAt(0)!;
    if (code >= 0x21 && code <= 0x7e) continue;
    const kind = code === 0x20 ? 'a space' : code < 0x20 || code === 0x7f ? 'a control character' : 'a non-ASCII character';
    return `character ${position} is ${kind}`;
  }
  if (position < MIN_LENGTH || position > MAX_LENGTH) return `this one has ${position} characters`;
  return undefined;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
