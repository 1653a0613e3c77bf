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
 * Environment: DOCKER_SOCKET (default /var/run/docker.sock), HOST (0.0.0.0), PORT (2375).
 * No dependencies: it runs on the bare Node base image.
 */
import { createServer, request } from 'node:http';
import { checkRequest, redactEnv } from './allowlist.mjs';

const socketPath = process.env.DOCKER_SOCKET || '/var/run/docker.sock';
const host = process.env.HOST || '0.0.0.0';
const port = Number(process.env.PORT || 2375);
/** A redacted answer is held in memory whole; a larger one is refused rather than passed unredacted. */
const MAX_REDACTED_BYTES = 64 * 1024 * 1024;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);

/** @param {string} msg @param {Record<string, unknown>} [fields] */
const log = (msg, fields = {}) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), msg, ...fields })}\n`);

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} message
 */
function fail(res, status, message) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // Docker's own error shape, so clients report the message as they would the engine's.
  const body = JSON.stringify({ message: `docker-api-proxy: ${message}` });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const server = createServer((req, res) => {
  const method = req.method ?? 'GET';
  const verdict = checkRequest(method, req.url ?? '/');
  if (!verdict.allowed) {
    log('denied', { method, url: req.url, reason: verdict.reason });
    fail(res, 403, verdict.reason);
    req.resume();
    return;
  }

  /** @type {Record<string, string | string[]>} */
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
  }
  // The engine answers the redacted calls in JSON; ask for it unencoded so it can be parsed.
  if (verdict.redactEnv) delete headers['accept-encoding'];

  const upstream = request({ socketPath, method, path: req.url, headers: { ...headers, host: 'docker' } }, (answer) => {
    // The engine went away mid-answer (it restarts): end the client's side too, so a
    // watcher of the event stream notices and reconnects instead of waiting forever.
    answer.on('close', () => {
      if (!answer.complete) res.destroy();
    });
    if (!verdict.redactEnv || method === 'HEAD' || !String(answer.headers['content-type'] ?? '').includes('json')) {
      res.writeHead(answer.statusCode ?? 502, stripHopByHop(answer.headers));
      // Streams (the event stream above all) flow through as they come.
      answer.pipe(res);
      return;
    }
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    answer.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size > MAX_REDACTED_BYTES) {
        answer.destroy();
        fail(res, 502, `answer over ${MAX_REDACTED_BYTES} bytes, refused rather than passed unredacted`);
        return;
      }
      chunks.push(chunk);
    });
    answer.on('end', () => {
      let body;
      try {
        body = JSON.stringify(redactEnv(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      } catch {
        fail(res, 502, 'the engine answered JSON that does not parse');
        return;
      }
      const out = stripHopByHop(answer.headers);
      delete out['content-length'];
      res.writeHead(answer.statusCode ?? 502, { ...out, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  upstream.on('error', (error) => {
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    log('engine unreachable', { socket: socketPath, code, error: error.message });
    fail(res, 502, `the engine is unreachable on ${socketPath} (${code ?? error.message})`);
  });
  // A client that goes away (the balancer closing its event stream) frees the engine's side.
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
});

/** @param {import('node:http').IncomingHttpHeaders} headers */
function stripHopByHop(headers) {
  /** @type {Record<string, string | string[]>} */
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

// The event stream is long-lived: no request timeout; idle keep-alive sockets still close.
server.requestTimeout = 0;
server.keepAliveTimeout = 65_000;
server.listen(port, host, () => log('listening', { host, port, socket: socketPath }));

const stop = () => {
  log('stopping');
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
