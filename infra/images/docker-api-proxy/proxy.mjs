// @ts-check
/**
 * A read-only gate in front of the Docker engine's socket, for the compose stack.
 *
 * Why not mount the socket into the balancer with `:ro`: `:ro` on a unix socket changes
 * nothing (connecting is not writing), so any process with the socket can create a
 * privileged container, i.e. is root on the host. The balancer faces the internet; it gets
 * this proxy instead, on an internal network, and can only make the discovery calls in
 * allowlist.mjs. Prometheus' docker_sd uses it too.
 *
 * Why a directory and not the socket file: dockerd deletes and recreates its socket when it
 * restarts. A bind-mounted socket *file* keeps pointing at the dead one for the life of the
 * container; a bind-mounted *directory* shows the new one. So the compose file mounts the
 * socket's directory here (read-only), and every request dials the path afresh.
 *
 * The rules, each in its own file:
 * - allowlist.mjs: GET/HEAD on the discovery endpoints only (403 otherwise);
 * - request-gate.mjs: no request body, no Expect, no Upgrade (400 otherwise);
 * - query.mjs: the query re-encoded, each parameter once; /events filters narrowed;
 * - this file: the upstream request is *built* (method, checked path, allowlisted headers)
 *   and ended with no body, never piped from the client; every refusal closes the
 *   connection (refuse.mjs);
 * - redacted-answer.mjs: `Env` removed from inspect/service/task answers, within a bound;
 * - event-filter.mjs: the event stream carries container and network events only.
 *
 * Environment (config.mjs): DOCKER_SOCKET (default /var/run/docker.sock), HOST (0.0.0.0),
 * PORT (2375), MAX_REDACTED_BYTES (2 MiB). No dependencies: it runs on the bare Node base image.
 */
import { createServer, request } from 'node:http';
import { checkRequest } from './allowlist.mjs';
import { MAX_EVENT_LINE_BYTES, readConfig } from './config.mjs';
import { EventLineFilter } from './event-filter.mjs';
import { upstreamPath } from './query.mjs';
import { RedactionBudget, sendRedacted } from './redacted-answer.mjs';
import { refuse, refuseSocket, wasRefused } from './refuse.mjs';
import { checkFraming, upstreamHeaders } from './request-gate.mjs';

/** @param {string} msg @param {Record<string, unknown>} [fields] */
const log = (msg, fields = {}) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), msg, ...fields })}\n`);

/** @type {import('./config.mjs').ProxyConfig} */
let config;
try {
  config = readConfig(process.env);
} catch (error) {
  process.stderr.write(`docker-api-proxy: ${/** @type {Error} */ (error).message}\n`);
  process.exit(2);
}
const { socketPath, host, port } = config;
const budget = new RedactionBudget(config.maxRedactedBytes);
/** Hop-by-hop fields of the engine's answer, which Node frames anew for the client. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
function handle(req, res) {
  // A request parsed behind one already refused on this connection (pipelined, or read
  // from a refused request's body): never judged, never answered; the connection closes.
  if (wasRefused(req.socket)) {
    req.resume();
    return;
  }
  const method = req.method ?? '';
  const url = req.url ?? '';
  /** @param {number} status @param {string} reason */
  const deny = (status, reason) => {
    log('denied', { method, url: url.slice(0, 512), status, reason });
    refuse(res, status, reason);
  };

  const verdict = checkRequest(method, url);
  if (!verdict.allowed) return deny(403, verdict.reason);
  const framing = checkFraming(req);
  if (!framing.ok) return deny(framing.status, framing.reason);
  const target = upstreamPath(verdict);
  if (!target.ok) return deny(target.status, target.reason);

  /** @type {import('node:http').ClientRequest} */
  let upstream;
  try {
    upstream = request({ socketPath, method, path: target.path, headers: upstreamHeaders(req.headers), agent: false }, (answer) => relay(answer));
  } catch (error) {
    // Node's client checks what it sends more strictly than its server reads some fields
    // (a user agent's characters): a refusal, not a crash of the gate.
    return deny(400, `the request cannot be forwarded: ${/** @type {Error} */ (error).message}`);
  }
  upstream.on('error', (error) => {
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    log('engine unreachable', { socket: socketPath, code, error: error.message });
    refuse(res, 502, `the engine is unreachable on ${socketPath} (${code ?? error.message})`);
  });
  // A client that goes away (the balancer closing its event stream) frees the engine's side.
  res.on('close', () => upstream.destroy());
  // No body, ever: the request is complete as built (request-gate.mjs refused any other).
  upstream.end();

  /** @param {import('node:http').IncomingMessage} answer */
  function relay(answer) {
    // The engine went away mid-answer (it restarts): end the client's side too, so a
    // watcher of the event stream notices and reconnects instead of waiting forever.
    answer.on('close', () => {
      if (!answer.complete) res.destroy();
    });
    const headers = passableHeaders(answer.headers);
    // The length of an unredacted answer says how much environment it had.
    if (verdict.redactEnv) delete headers['content-length'];
    if (method === 'HEAD') {
      res.writeHead(answer.statusCode ?? 502, headers);
      res.end();
      answer.resume();
    } else if (verdict.redactEnv) {
      sendRedacted(answer, res, headers, budget);
    } else if (verdict.events && answer.statusCode === 200) {
      // (Any other status carries the engine's error message, not events: it passes as is.)
      delete headers['content-length'];
      res.writeHead(answer.statusCode ?? 502, headers);
      // Flush the headers now: a client waits for them before it counts the stream as open.
      res.flushHeaders();
      const filter = new EventLineFilter({ maxLineBytes: MAX_EVENT_LINE_BYTES, onDrop: (reason) => log('event dropped', { reason }) });
      answer.pipe(filter).pipe(res);
    } else {
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    }
  }
}

/** @param {import('node:http').IncomingHttpHeaders} headers */
function passableHeaders(headers) {
  /** @type {Record<string, string | string[]>} */
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

const server = createServer(
  {
    // Discovery clients send a few short headers; a long head is refused (431) early.
    maxHeaderSize: 8 * 1024,
    // Strict parsing (Node's default, stated): no obs-fold, no bare LF, no spaces before
    // colons, conflicting framing headers rejected by the parser itself.
    insecureHTTPParser: false,
    // request-gate.mjs checks Host itself, to refuse in the same JSON shape.
    requireHostHeader: false,
  },
  handle,
);
// Node answers `Expect: 100-continue` by itself unless told otherwise: route every
// expectation to the gate, which refuses it before any body is invited.
server.on('checkContinue', handle);
server.on('checkExpectation', handle);
// Requests to switch protocols and CONNECT tunnels never reach the engine.
server.on('upgrade', (/** @type {import('node:http').IncomingMessage} */ req, socket) => {
  log('denied', { method: req.method, url: req.url?.slice(0, 512), status: 400, reason: 'upgrade' });
  refuseSocket(socket, 400, `upgrade ${JSON.stringify(req.headers.upgrade ?? '')} asks to switch protocols; this proxy passes plain requests only`);
});
server.on('connect', (/** @type {import('node:http').IncomingMessage} */ req, socket) => {
  log('denied', { method: 'CONNECT', url: req.url?.slice(0, 512), status: 403, reason: 'connect' });
  refuseSocket(socket, 403, 'method CONNECT is not allowed: this proxy is read-only (GET and HEAD)');
});
// What Node's parser rejects (bad framing, lower-case methods, a head over maxHeaderSize)
// gets the same JSON refusal as the rest, and the connection closes.
server.on('clientError', (error, socket) => {
  const code = /** @type {NodeJS.ErrnoException} */ (error).code ?? '';
  // An answer already under way on this socket (garbage pipelined behind an event stream)
  // cannot be followed by another status line: cut the connection instead.
  const inFlight = /** @type {{ _httpMessage?: { headersSent?: boolean } }} */ (/** @type {unknown} */ (socket))._httpMessage;
  if (code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const overflow = code === 'HPE_HEADER_OVERFLOW';
  const timeout = code === 'ERR_HTTP_REQUEST_TIMEOUT';
  log('denied', { status: overflow ? 431 : timeout ? 408 : 400, reason: code || error.message });
  refuseSocket(
    socket,
    overflow ? 431 : timeout ? 408 : 400,
    overflow ? 'request head over 8 KiB' : timeout ? 'request head not received in time' : `malformed request (${code || error.message})`,
  );
});

// The event stream is long-lived: no request timeout; but the head must come quickly, and
// idle keep-alive sockets close.
server.requestTimeout = 0;
server.headersTimeout = 10_000;
server.keepAliveTimeout = 65_000;
// Each connection costs memory in a 64M container; discovery needs a handful.
server.maxConnections = 256;
server.listen(port, host, () => log('listening', { host, port, socket: socketPath, maxRedactedBytes: config.maxRedactedBytes }));

const stop = () => {
  log('stopping');
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
