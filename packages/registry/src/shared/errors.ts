/**
 * The syntax `parseBackendServers` accepts, quoted in every error so the person fixing the
 * variable sees what a valid value looks like without opening the docs.
 */
export const BACKEND_SERVERS_SYNTAX =
  'comma-separated host:port or host:port@weight (weight an integer 0..1000, default 1, 0 = drained); IPv6 in brackets, e.g. "web1:5001,web2:5001@3,[::1]:5002@2"';

/** `BACKEND_SERVERS` (or another value given to `parseBackendServers`) is not a valid backend list. */
export class InvalidBackendServersError extends Error {
  override readonly name = 'InvalidBackendServersError';
  readonly code = 'ERR_INVALID_BACKEND_SERVERS';
  /** The whole value, as given. */
  readonly value: string;
  /** The comma-separated entry that failed, trimmed; `undefined` when the value as a whole is wrong (empty). */
  readonly entry: string | undefined;
  /** What is wrong with it, without the syntax reminder. */
  readonly reason: string;

  constructor(value: string, entry: string | undefined, reason: string) {
    const where = entry === undefined ? '' : ` entry ${JSON.stringify(entry)}`;
    super(`BACKEND_SERVERS=${JSON.stringify(value)} is invalid:${where} ${reason}. Expected ${BACKEND_SERVERS_SYNTAX}`);
    this.value = value;
    this.entry = entry;
    this.reason = reason;
  }
}

/** A backend address (from a source, or an admin call such as `setWeight`) with a field out of range. */
export class InvalidBackendError extends Error {
  override readonly name = 'InvalidBackendError';
  readonly code = 'ERR_INVALID_BACKEND';
  /** The backend's id, when it has one. */
  readonly backendId: string | undefined;
  /** The offending field: `id`, `host`, `port`, `weight`, `pool`, `healthPath`. */
  readonly field: string;
  readonly value: unknown;

  constructor(backendId: string | undefined, field: string, value: unknown, allowed: string) {
    const who = backendId === undefined ? 'backend' : `backend ${JSON.stringify(backendId)}`;
    super(`${who}: ${field} must be ${allowed}, got ${describeValue(value)}`);
    this.backendId = backendId;
    this.field = field;
    this.value = value;
  }
}

/** An id (or a backend object) that this pool does not know, for example after the source removed it. */
export class UnknownBackendError extends Error {
  override readonly name = 'UnknownBackendError';
  readonly code = 'ERR_UNKNOWN_BACKEND';
  readonly backendId: string | undefined;

  constructor(backendId: string | undefined, known: readonly string[]) {
    const list = known.length === 0 ? 'the pool is empty' : `known ids: ${known.join(', ')}`;
    super(`no backend ${JSON.stringify(backendId ?? '(not a backend of this pool)')} in this pool; ${list}`);
    this.backendId = backendId;
  }
}

/** A `BackendPool` option that cannot work; names the option, the value and the allowed range. */
export class InvalidPoolOptionError extends Error {
  override readonly name = 'InvalidPoolOptionError';
  readonly code = 'ERR_INVALID_POOL_OPTION';
  /** Dotted path of the option, for example `healthCheck.intervalMs`. */
  readonly option: string;
  readonly value: unknown;
  /** What would have been accepted, in words. */
  readonly allowed: string;

  constructor(option: string, value: unknown, allowed: string, message?: string) {
    super(message ?? `BackendPool option ${option} must be ${allowed}, got ${describeValue(value)}`);
    this.option = option;
    this.value = value;
    this.allowed = allowed;
  }
}

/** `start()` on a pool (or source) that was already closed: create a new one instead. */
export class PoolClosedError extends Error {
  override readonly name = 'PoolClosedError';
  readonly code = 'ERR_POOL_CLOSED';

  constructor(what: string) {
    super(`${what} was closed and cannot be started again; create a new one`);
  }
}

/** A value as an error message shows it: strings quoted, objects as JSON. Internal (not re-exported). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}
