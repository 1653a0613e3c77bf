import { createAlgorithm, type Server } from '@lbpoc/algorithms';
import { hashString } from './hash.js';

/** Maps a key (a client IP) to a server of `servers`, as a hashing balancer would. */
export type KeyMapper = (servers: readonly Server[], key: string) => Server | undefined;

/** How many keys move when the server list changes, as a fraction of all keys. */
export interface RemapFractions {
  /** One server appended. Ideal: 1 / (n + 1) of the keys (the newcomer's share). */
  readonly added: number;
  /** The last server removed. Ideal: that server's share (1 / n with equal weights). */
  readonly removed: number;
}

/**
 * The fraction of `keys` mapped to a different server (by id) after the list changes from
 * `before` to `after`. Every key is mapped through `mapper` on both lists: this measures
 * the mapping itself, independent of which keys happen to send traffic.
 */
export function remapFraction(keys: readonly string[], before: readonly Server[], after: readonly Server[], mapper: KeyMapper): number {
  if (keys.length === 0) return 0;
  const previous = keys.map((key) => mapper(before, key)?.id);
  let moved = 0;
  for (let i = 0; i < keys.length; i++) if (mapper(after, keys[i]!)?.id !== previous[i]) moved++;
  return moved / keys.length;
}

/** `ip_hash` from @lbpoc/algorithms (weighted Maglev). One instance; it rebuilds its table per list. */
export function ipHashMapper(): KeyMapper {
  const algorithm = createAlgorithm('ip_hash');
  return (servers, key) => algorithm.pick(servers, key);
}

/**
 * The seed's scheme, `hash(ip) % n` (with FNV-1a + fmix32, the string hash `ip_hash`
 * uses), for comparison: changing n moves almost every key, since h mod n and h mod n+1
 * agree only by chance.
 */
export const moduloHashMapper: KeyMapper = (servers, key) => (servers.length === 0 ? undefined : servers[hashString(key) % servers.length]);

/** Remap fractions of `mapper` when a server of weight 1 is appended to `servers`, and when the last one is removed. */
export function remapOnResize(keys: readonly string[], servers: readonly Server[], mapper: KeyMapper): RemapFractions {
  const plain = servers.map(({ id, weight }) => (weight === undefined ? { id } : { id, weight }));
  const added = [...plain, { id: unusedId(plain) }];
  const removed = plain.slice(0, -1);
  return {
    added: remapFraction(keys, plain, added, mapper),
    removed: removed.length === 0 ? 1 : remapFraction(keys, plain, removed, mapper),
  };
}

/** `backend-<n+1>`, or the first `backend-<k>` after it that no server uses. */
function unusedId(servers: readonly Server[]): string {
  const ids = new Set(servers.map((server) => server.id));
  for (let k = servers.length + 1; ; k++) if (!ids.has(`backend-${k}`)) return `backend-${k}`;
}
