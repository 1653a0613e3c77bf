/**
 * Load that a backend reports about itself, in the text form of ORCA's
 * `endpoint-load-metrics` response header (the format Envoy and gRPC read; fields from
 * xds.data.orca.v3.OrcaLoadReport): `TEXT cpu_utilization=0.31, rps_fractional=120.5,
 * named_metrics.rif=4`. lbpoc's backends send it on every response and on their probe
 * endpoint; any backend that does is read the same way, and one that does not is simply
 * not load-reporting.
 */
export const LOAD_REPORT_HEADER = 'endpoint-load-metrics';

/** The `named_metrics.<name>` keys lbpoc gives a meaning to (ORCA has no standard field for them). */
export const LOAD_REPORT_NAMED_METRICS = {
  /** Requests in flight on the backend: Prequal's RIF. */
  inFlight: 'rif',
  /** The backend's recent latency per request, in ms (an EWMA of its own handling time). */
  latencyMs: 'latency_ms',
} as const;

/** A longer header is not a load report (it is refused unread, so a hostile backend cannot make parsing costly). */
export const MAX_LOAD_REPORT_LENGTH = 1024;

export interface BackendLoad {
  /** `named_metrics.rif`: requests in flight on the backend itself (every balancer's, and outside load). */
  readonly inFlight?: number;
  /** `cpu_utilization`: share of the CPU the backend may use that it used recently (may exceed 1). */
  readonly cpuUtilization?: number;
  /** `application_utilization`: the backend's own measure of how full it is, preferred over CPU when present (gRPC A58). */
  readonly applicationUtilization?: number;
  /** `rps_fractional`: requests per second it served recently. */
  readonly rps?: number;
  /** `eps`: errors per second it answered recently. */
  readonly eps?: number;
  /** `named_metrics.latency_ms`. */
  readonly latencyMs?: number;
}

type Field = keyof BackendLoad;
const FIELD_OF_KEY: Readonly<Record<string, Field>> = {
  cpu_utilization: 'cpuUtilization',
  application_utilization: 'applicationUtilization',
  rps_fractional: 'rps',
  eps: 'eps',
  [`named_metrics.${LOAD_REPORT_NAMED_METRICS.inFlight}`]: 'inFlight',
  [`named_metrics.${LOAD_REPORT_NAMED_METRICS.latencyMs}`]: 'latencyMs',
};
const KEY_OF_FIELD = Object.fromEntries(Object.entries(FIELD_OF_KEY).map(([key, field]) => [field, key])) as Record<Field, string>;

/** The header value for `load`: fields in a fixed order, numbers rounded to 4 decimals, absent fields left out. */
export function formatLoadReport(load: BackendLoad): string {
  const parts: string[] = [];
  for (const field of Object.keys(KEY_OF_FIELD) as Field[]) {
    const value = load[field];
    if (value !== undefined && Number.isFinite(value) && value >= 0) parts.push(`${KEY_OF_FIELD[field]}=${Math.round(value * 10_000) / 10_000}`);
  }
  return `TEXT ${parts.join(', ')}`;
}

/**
 * The load in a header value, or `undefined` when it is not a text ORCA report (absent,
 * too long, another format such as JSON or binary, or no usable field). Unknown keys are
 * ignored (ORCA has more than lbpoc reads); a known key with a value that is not a finite
 * number >= 0 makes the whole report unusable, since a half-read report would mislead.
 */
export function parseLoadReport(value: string | readonly string[] | undefined): BackendLoad | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string' || text.length > MAX_LOAD_REPORT_LENGTH || !text.startsWith('TEXT ')) return undefined;
  const load: { -readonly [F in Field]?: number } = {};
  let fields = 0;
  for (const entry of text.slice(5).split(',')) {
    const at = entry.indexOf('=');
    if (at === -1) continue;
    const field = FIELD_OF_KEY[entry.slice(0, at).trim()];
    if (field === undefined) continue;
    const raw = entry.slice(at + 1).trim();
    const number = raw === '' ? Number.NaN : Number(raw);
    if (!(Number.isFinite(number) && number >= 0)) return undefined;
    load[field] = number;
    fields++;
  }
  return fields === 0 ? undefined : load;
}
