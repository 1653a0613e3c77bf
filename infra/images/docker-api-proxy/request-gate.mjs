// @ts-check
/**
 * The framing rules: what a request may carry besides its method and target.
 *
 * The discovery calls have no body. A body on a GET or HEAD is the smuggling vector: a
 * proxy that de-chunks it and streams it on without a length header hands the engine a
 * second request no rule has seen (a `POST /containers/create` inside `GET /_ping`). So
 * nothing that carries, announces or could frame a body passes: no `Content-Length` other
 * than a single `0`, no `Transfer-Encoding` of any kind, no `Expect`. Nor anything that
 * asks to turn the connection into something else (`Upgrade`, `Connection: upgrade`), since
 * the engine hijacks connections on some endpoints.
 *
 * The checks read `rawHeaders`, every occurrence as sent, not Node's merged `headers`,
 * which keep only the first of some duplicated fields.
 *
 * What goes upstream is built by the proxy (upstreamHeaders), never copied from the client.
 */

/**
 * @typedef {{ ok: true } | { ok: false, status: number, reason: string }} FramingVerdict
 */

/**
 * @param {Pick<import('node:http').IncomingMessage, 'httpVersion' | 'rawHeaders'>} req
 * @returns {FramingVerdict}
 */
export function checkFraming(req) {
  // Node's parser takes only HTTP/1.x here; 1.0 is still plain request/response.
  if (req.httpVersion !== '1.1' && req.httpVersion !== '1.0') {
    return { ok: false, status: 505, reason: `HTTP/${req.httpVersion} is not supported (HTTP/1.1 or HTTP/1.0)` };
  }
  /** @type {Map<string, string[]>} */
  const fields = new Map();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = String(req.rawHeaders[i]).toLowerCase();
    fields.set(name, [...(fields.get(name) ?? []), String(req.rawHeaders[i + 1])]);
  }
  // Checked here rather than by Node (requireHostHeader), so the refusal has the same
  // JSON shape as the others. The proxy sends its own host; one is still required of
  // HTTP/1.1 clients, and two are ambiguous.
  const hosts = fields.get('host') ?? [];
  if (hosts.length > 1 || (hosts.length === 0 && req.httpVersion === '1.1')) {
    return bad(`an HTTP/${req.httpVersion} request needs exactly one host header, got ${hosts.length}`);
  }
  const transferEncoding = fields.get('transfer-encoding');
  if (transferEncoding !== undefined) {
    return bad(
      `transfer-encoding ${JSON.stringify(transferEncoding.join(', '))} announces a request body; this proxy forwards none (discovery calls have no body)`,
    );
  }
  const contentLength = fields.get('content-length');
  if (contentLength !== undefined && (contentLength.length !== 1 || contentLength[0] !== '0')) {
    return bad(
      `content-length ${JSON.stringify(contentLength.join(', '))} announces a request body; this proxy forwards none (only a single content-length: 0 is accepted)`,
    );
  }
  const expect = fields.get('expect');
  if (expect !== undefined) {
    return bad(`expect ${JSON.stringify(expect.join(', '))} announces a request body; this proxy forwards none`);
  }
  const upgrade = fields.get('upgrade');
  const connection = (fields.get('connection') ?? []).flatMap((value) => value.split(',')).map((token) => token.trim().toLowerCase());
  if (upgrade !== undefined || connection.includes('upgrade')) {
    return bad(`upgrade ${JSON.stringify((upgrade ?? []).join(', '))} asks to switch protocols; this proxy passes plain requests only`);
  }
  return { ok: true };
}

/** @param {string} reason @returns {FramingVerdict} */
const bad = (reason) => ({ ok: false, status: 400, reason });

/** A client's user agent goes to the engine (its logs attribute calls); longer ones are cut. */
const MAX_USER_AGENT = 256;

/**
 * The headers of the upstream request, from an allowlist: the proxy's own `host`, and the
 * client's `user-agent` (for the engine's logs). Nothing else: the engine reads no request
 * header on these GET calls that a client needs, and `accept-encoding` stays out so every
 * answer comes back plain, for redaction and event filtering. No `content-length` or
 * `transfer-encoding`: the upstream request is ended at once, with no body.
 * @param {import('node:http').IncomingHttpHeaders} headers the client's (checked by checkFraming)
 * @returns {Record<string, string>}
 */
export function upstreamHeaders(headers) {
  /** @type {Record<string, string>} */
  const out = { host: 'docker' };
  const agent = headers['user-agent'];
  if (typeof agent === 'string' && agent !== '') out['user-agent'] = agent.slice(0, MAX_USER_AGENT);
  return out;
}
