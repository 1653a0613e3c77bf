import { InvalidBackendError } from './errors.js';

/** The largest weight a backend may be given; weights are relative, so 1000 steps is plenty. */
export const MAX_WEIGHT = 1000;

/**
 * Where a backend is and how much of the traffic it should get, as a discovery source
 * reports it. Sources produce these; `BackendPool` turns them into live `Backend`s.
 */
export interface BackendAddress {
  /**
   * Stable, unique id; `host:port` (`[v6]:port` for IPv6) unless a source has a better one.
   * Algorithms hash on it and the pool keeps a backend's state across source changes by it.
   */
  readonly id: string;
  /** Hostname or IP address, without brackets for IPv6 (`::1`, not `[::1]`). */
  readonly host: string;
  /** TCP port, 1..65535. */
  readonly port: number;
  /** Relative weight, integer 0..1000; 0 means drained (kept, never picked). */
  readonly weight: number;
  /** Named group for balancers that route to several pools (the Docker label `lbpoc.pool`). */
  readonly pool?: string;
  /** Path the active health check GETs on this backend; overrides the pool's default (`/health`). */
  readonly healthPath?: string;
}

/** The canonical id of `host` and `port`: `host:port`, with IPv6 addresses in brackets. */
export function backendId(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** True for an integer weight in 0..`MAX_WEIGHT`. */
export function isValidWeight(weight: unknown): weight is number {
  return Number.isInteger(weight) && (weight as number) >= 0 && (weight as number) <= MAX_WEIGHT;
}

/**
 * Checks every field of every address and that ids are unique, and returns frozen copies
 * (so a source's caller cannot change a snapshot behind the pool's back).
 * @throws InvalidBackendError naming the backend, the field and what is allowed
 */
export function validateBackendAddresses(addresses: readonly BackendAddress[]): readonly BackendAddress[] {
  const seen = new Set<string>();
  const result = addresses.map((address) => {
    const copy = validateBackendAddress(address);
    if (seen.has(copy.id)) throw new InvalidBackendError(copy.id, 'id', copy.id, 'unique within the list (it appears twice)');
    seen.add(copy.id);
    return copy;
  });
  return Object.freeze(result);
}

function validateBackendAddress(address: BackendAddress): BackendAddress {
  const { id, host, port, weight, pool, healthPath } = address;
  if (typeof id !== 'string' || id === '') throw new InvalidBackendError(undefined, 'id', id, 'a non-empty string');
  if (typeof host !== 'string' || host === '' || host.startsWith('[')) {
    throw new InvalidBackendError(id, 'host', host, 'a hostname or IP address (IPv6 without brackets)');
  }
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new InvalidBackendError(id, 'port', port, 'an integer from 1 to 65535');
  if (!isValidWeight(weight)) throw new InvalidBackendError(id, 'weight', weight, `an integer from 0 to ${MAX_WEIGHT} (0 = drained)`);
  if (pool !== undefined && (typeof pool !== 'string' || pool === '')) {
    throw new InvalidBackendError(id, 'pool', pool, 'a non-empty string or absent');
  }
  if (healthPath !== undefined && (typeof healthPath !== 'string' || !healthPath.startsWith('/'))) {
    throw new InvalidBackendError(id, 'healthPath', healthPath, 'a path starting with "/" or absent');
  }
  return Object.freeze({
    id,
    host,
    port,
    weight,
    ...(pool === undefined ? {} : { pool }),
    ...(healthPath === undefined ? {} : { healthPath }),
  });
}
