// @ts-check
/**
 * What the event stream (`GET /events`) may carry: the container and network events
 * discovery acts on, and nothing else.
 *
 * Why filter at all: the engine's stream is a log of everything done on the host. Exec
 * events carry the command line in their `Action` (`exec_create: sh -c 'mysql -pSECRET'`),
 * image, volume, secret and config events name other tenants' objects. Discovery needs
 * none of them. The lists below mirror @lbpoc/registry's (packages/registry/src/sources/
 * docker/containers/engine-events.ts, WATCHED_*_ACTIONS); Prometheus' docker_sd does not use events.
 *
 * Two layers, for different reasons:
 * - the query the proxy sends upstream always carries `type` and `event` filters inside
 *   these lists (mergeEventFilters), so the engine does not even send the rest;
 * - every line the engine sends is parsed and judged again (EventLineFilter), so what
 *   passes never depends on the engine's filter semantics (its prefix matching of
 *   `health_status`, legacy filter formats, a future action name).
 */
import { Transform } from 'node:stream';

export const CONTAINER_ACTIONS = Object.freeze(['start', 'restart', 'stop', 'kill', 'die', 'pause', 'unpause', 'health_status', 'destroy', 'rename']);
export const NETWORK_ACTIONS = Object.freeze(['connect', 'disconnect']);
export const EVENT_TYPES = Object.freeze(['container', 'network']);
/** Health events name the new state after a colon: `health_status: healthy`. */
const HEALTH_ACTION = /^health_status: [a-z]{1,32}$/;

/**
 * One parsed event: does it pass?
 * @param {unknown} event
 */
export function isDiscoveryEvent(event) {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return false;
  const { Type, Action } = /** @type {{ Type?: unknown, Action?: unknown }} */ (event);
  if (typeof Action !== 'string') return false;
  if (Type === 'container') return (CONTAINER_ACTIONS.includes(Action) && Action !== 'health_status') || HEALTH_ACTION.test(Action);
  if (Type === 'network') return NETWORK_ACTIONS.includes(Action);
  return false;
}

/**
 * @typedef {{ ok: true, filters: string } | { ok: false, status: number, reason: string }} MergedFilters
 */

/**
 * The `filters` parameter to send upstream: the client's own filters (label, container,
 * network...), with `type` and `event` narrowed to what this proxy passes. Docker ANDs
 * the keys and ORs the values of one key, so setting `type` and `event` when the client
 * has none only narrows; a client's `type` or `event` value outside the lists is refused
 * (403) rather than silently dropped, since dropping one value of a list could widen it.
 * Both of Docker's formats are read (`{"type":["container"]}` and the legacy
 * `{"type":{"container":true}}`); the engine counts a legacy key whatever its boolean, and
 * so does this. The result is always the list format.
 * @param {string | null} raw the client's `filters` parameter, decoded
 * @returns {MergedFilters}
 */
export function mergeEventFilters(raw) {
  /** @type {unknown} */
  let parsed = {};
  if (raw !== null) {
    try {
      parsed = JSON.parse(raw);
    } catch {
      return {
        ok: false,
        status: 400,
        reason: `filters ${JSON.stringify(raw.slice(0, 200))} is not JSON (expected an object such as {"label":["lbpoc.enable"]})`,
      };
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, status: 400, reason: `filters must be a JSON object of lists, got ${JSON.stringify(raw)}` };
  }
  // A Map, not an object: a filter key spelled `__proto__` must stay a plain key.
  /** @type {Map<string, string[]>} */
  const filters = new Map();
  for (const [key, value] of Object.entries(parsed)) {
    const values = filterValues(value);
    if (values === undefined) {
      return {
        ok: false,
        status: 400,
        reason: `filters.${key} must be a list of strings (or Docker's legacy {"value":true} map), got ${JSON.stringify(value)}`,
      };
    }
    filters.set(key, values);
  }
  for (const [key, allowed] of /** @type {const} */ ([
    ['type', EVENT_TYPES],
    ['event', [...CONTAINER_ACTIONS, ...NETWORK_ACTIONS]],
  ])) {
    const asked = filters.get(key);
    const outside = asked?.find((value) => !allowed.includes(value));
    if (outside !== undefined) {
      return {
        ok: false,
        status: 403,
        reason: `events with ${key} ${JSON.stringify(outside)} are not passed by this proxy (allowed ${key} values: ${allowed.join(', ')})`,
      };
    }
    if (asked === undefined || asked.length === 0) filters.set(key, [...allowed]);
  }
  return { ok: true, filters: JSON.stringify(Object.fromEntries(filters)) };
}

/**
 * @param {unknown} value
 * @returns {string[] | undefined}
 */
function filterValues(value) {
  if (Array.isArray(value)) return value.every((item) => typeof item === 'string') ? value : undefined;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.every(([, flag]) => typeof flag === 'boolean') ? entries.map(([name]) => name) : undefined;
  }
  return undefined;
}

const NEWLINE = 0x0a;

/**
 * The engine's event stream, newline-delimited JSON, reduced to the events that pass
 * isDiscoveryEvent. Lines split across chunks are joined; a line is held whole before it
 * is judged, up to `maxLineBytes`: a longer one is dropped unread to its end (and
 * reported), so a huge event cannot grow the buffer. A line that does not parse as one
 * JSON value is dropped too. What passes is the engine's line as sent.
 */
export class EventLineFilter extends Transform {
  /**
   * @param {{ maxLineBytes: number, onDrop?: (reason: string) => void }} options
   */
  constructor({ maxLineBytes, onDrop = () => {} }) {
    super();
    this.maxLineBytes = maxLineBytes;
    this.onDrop = onDrop;
    /** @type {Buffer[]} */
    this.pending = [];
    this.pendingBytes = 0;
    /** Inside a line that went over the bound: skip to its newline. */
    this.skipping = false;
  }

  /**
   * @override
   * @param {Buffer} chunk
   * @param {BufferEncoding} _encoding
   * @param {import('node:stream').TransformCallback} done
   */
  _transform(chunk, _encoding, done) {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      this.hold(chunk.subarray(start, end));
      if (newline === -1) break;
      this.endLine();
      start = newline + 1;
    }
    done();
  }

  /**
   * @override
   * @param {import('node:stream').TransformCallback} done
   */
  _flush(done) {
    // The stream ended mid-line: that line is incomplete, so it is not passed.
    if (this.pendingBytes > 0) this.onDrop('the stream ended inside an event');
    this.pending = [];
    done();
  }

  /** @param {Buffer} piece part of the current line */
  hold(piece) {
    if (this.skipping || piece.length === 0) return;
    if (this.pendingBytes + piece.length > this.maxLineBytes) {
      this.onDrop(`an event over ${this.maxLineBytes} bytes`);
      this.pending = [];
      this.pendingBytes = 0;
      this.skipping = true;
      return;
    }
    this.pending.push(piece);
    this.pendingBytes += piece.length;
  }

  endLine() {
    const line = Buffer.concat(this.pending, this.pendingBytes);
    const skipped = this.skipping;
    this.pending = [];
    this.pendingBytes = 0;
    this.skipping = false;
    if (skipped) return;
    const text = line.toString('utf8');
    if (text.trim() === '') return;
    let event;
    try {
      event = JSON.parse(text);
    } catch {
      this.onDrop('an event that is not JSON');
      return;
    }
    if (isDiscoveryEvent(event)) this.push(Buffer.concat([line, Buffer.from('\n')]));
  }
}
