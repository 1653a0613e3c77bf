import type { IncomingMessage, ServerResponse } from 'node:http';
import { ALGORITHM_NAMES, type Algorithm, isAlgorithmName } from '@lbpoc/algorithms';
import type { BalancerMetrics } from '@lbpoc/metrics';
import type { Backend, BackendPool } from '@lbpoc/registry';
import type { ProxyServer } from 'http-proxy-3';
import type { Logger } from 'pino';
import { takeAlgorithmParam } from './algorithm-param.js';
import { BodyTooLargeError } from './body-limit.js';
import type { AlgorithmSet } from './algorithm-set.js';
import { setForwardedHeaders } from './forwarded-headers.js';
import { sendJson } from './json-response.js';
import { NO_BODY, type RequestBody, bodyStream, heldLength, prepareBody } from './replayable-body.js';
import { type BodyFraming, framingOf, setUpstreamFraming } from './request-framing.js';
import type { RequestRecorder } from './request-recorder.js';
import { requestIdOf } from './request-id.js';
import { badTargetMessage, originFormOf } from './request-target.js';
import { targetOf } from './backend-target.js';
import type { TrustedProxies } from './trusted-proxies.js';
import { UpstreamTimeoutError, classifyUpstreamError, isIdempotent } from './upstream-failure.js';

/** Response headers naming who served the request and how it was chosen (documented in the README). */
export const BACKEND_HEADER = 'x-lbpoc-backend';
export const ALGORITHM_HEADER = 'x-lbpoc-algorithm';
/** Seconds a client should wait before retrying when no backend is available. */
const NO_BACKEND_RETRY_AFTER = '5';

export interface ProxyHandlerDeps {
  readonly pool: BackendPool;
  readonly algorithms: AlgorithmSet;
  readonly proxy: ProxyServer;
  readonly metrics: BalancerMetrics;
  readonly recorder: RequestRecorder;
  readonly trust: TrustedProxies;
  readonly upstreamTimeoutMs: number;
  readonly log: Logger;
  /** True once shutdown began: responses then ask the client to close its connection. */
  readonly draining: () => boolean;
  /** `MAX_BODY_BYTES` (0 or absent: no limit); bodies of unknown length are counted against it as they stream. */
  readonly maxBodyBytes?: number;
}

/** Per-request state, kept on the request so http-proxy-3's server-level events can find it. */
interface Exchange {
  readonly requestId: string;
  readonly algorithm: Algorithm;
  readonly clientAddress: string;
  readonly received: number;
  /** The client's body framing as node parsed it, taken before any header was removed. */
  readonly framing: BodyFraming;
  body: RequestBody;
  backend: Backend | undefined;
  attemptStarted: number;
  responseStarted: number;
  attempts: number;
  /** The current backend has been released (an error was handled): the close handler must not release it again. */
  released: boolean;
}

const EXCHANGE = Symbol('lbpoc.exchange');
type TrackedRequest = IncomingMessage & { [EXCHANGE]?: Exchange };

/**
 * The balancer's request path: choose the algorithm, pick a backend from the pool's
 * current snapshot, forward with http-proxy-3, retry once on another backend when that
 * is safe, and account for the result (pool health feedback, latency feedback to the
 * algorithms, metrics).
 */
export function createProxyHandler(deps: ProxyHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { pool, algorithms, proxy, trust } = deps;

  // A backend answered: note when, for latency feedback (time to first byte is the backend's share).
  proxy.on('proxyRes', (proxyRes, req, res) => {
    const exchange = (req as TrackedRequest)[EXCHANGE];
    if (exchange === undefined) return;
    exchange.responseStarted = performance.now();
    // Connection and Keep-Alive are hop-by-hop: the backend's describe our pooled connection
    // to it, not the client's. http-proxy-3 would copy them (or, with the client's own
    // Connection header already dropped, default to keep-alive), overriding a client's
    // `Connection: close` and our own while draining. This runs before its header passes.
    proxyRes.headers.connection = res.shouldKeepAlive && !deps.draining() ? 'keep-alive' : 'close';
    // Not `delete`: that turns the headers object slow just before it is copied; undefined is skipped.
    if (proxyRes.headers['keep-alive'] !== undefined) proxyRes.headers['keep-alive'] = undefined;
  });
  // Framing is the balancer's: just before the request goes out, its Content-Length or
  // Transfer-Encoding is set for exactly the body being sent (request-framing.ts). This
  // also undoes http-proxy-3's `deleteLength` pass, which turns a DELETE or OPTIONS
  // without Content-Length into `content-length: 0` and still pipes its chunked body:
  // bytes a kept-alive backend connection would read as a request nobody admitted.
  proxy.before('web', 'stream', (req) => {
    const exchange = (req as TrackedRequest)[EXCHANGE];
    if (exchange !== undefined) setUpstreamFraming(req.headers, exchange.framing, heldLength(exchange.body));
  });
  // No byte from the backend for too long: fail the attempt as a timeout (504).
  proxy.on('proxyReq', (proxyReq, req) => {
    if ((req as TrackedRequest)[EXCHANGE] === undefined) return;
    proxyReq.setTimeout(deps.upstreamTimeoutMs, () => proxyReq.destroy(new UpstreamTimeoutError(`no response within ${deps.upstreamTimeoutMs} ms`)));
  });

  function attempt(req: TrackedRequest, res: ServerResponse, exchange: Exchange, exclude?: Backend): void {
    const snapshot = pool.eligible();
    const candidates = exclude === undefined ? snapshot : snapshot.filter((backend) => backend !== exclude);
    const backend = exchange.algorithm.pick(candidates, exchange.clientAddress);
    if (backend === undefined) {
      if (exchange.attempts > 0) return; // the caller already answered the failed attempt
      deps.metrics.noBackendTotal.inc({ algorithm: exchange.algorithm.name });
      sendJson(
        res,
        503,
        { error: 'no_backend', message: 'no healthy backend is available; retry later', request_id: exchange.requestId },
        { 'retry-after': NO_BACKEND_RETRY_AFTER },
      );
      return;
    }
    const used = exchange.algorithm.lastUsed;
    if (exchange.algorithm.name === 'adaptive') deps.metrics.adaptiveDecisionsTotal.inc({ choice: used });
    exchange.backend = backend;
    exchange.attempts++;
    exchange.released = false;
    exchange.attemptStarted = performance.now();
    exchange.responseStarted = 0;
    pool.acquire(backend);
    res.setHeader(BACKEND_HEADER, backend.id);
    res.setHeader(ALGORITHM_HEADER, used);
    const buffer = bodyStream(exchange.body);
    const options = buffer === undefined ? { target: targetOf(backend) } : { target: targetOf(backend), buffer };
    try {
      proxy.web(req, res, options, (error) => onProxyError(req, res, exchange, error));
    } catch (error) {
      failInternally(res, exchange, backend, error as Error);
    }
  }

  /**
   * http-proxy-3 threw instead of calling back: input it could not handle, or a bug. It
   * fails this request alone (the backend is not blamed) and never reaches the process,
   * where an exception in a request listener would end every other client's request too.
   */
  function failInternally(res: ServerResponse, exchange: Exchange, backend: Backend, error: Error): void {
    if (!exchange.released) {
      exchange.released = true;
      pool.release(backend, {});
    }
    deps.log.error({ request_id: exchange.requestId, backend: backend.id, err: error }, 'proxying failed inside the balancer');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendJson(res, 500, { error: 'internal_error', message: 'the balancer failed to forward this request (logged under its request_id)', request_id: exchange.requestId });
  }

  function onProxyError(req: TrackedRequest, res: ServerResponse, exchange: Exchange, error: Error & { code?: string }): void {
    const backend = exchange.backend!;
    if (error instanceof BodyTooLargeError) {
      rejectLargeBody(res, exchange, backend, error);
      return;
    }
    const failure = classifyUpstreamError(error);
    if (!exchange.released) {
      exchange.released = true;
      pool.release(backend, { outcome: failure.outcome, latencyMs: performance.now() - exchange.attemptStarted });
    }
    const clientGone = res.destroyed || req.socket.destroyed;
    if (res.headersSent || clientGone) {
      // The response had begun (or nobody is listening): all we can do is end it.
      deps.log.warn({ request_id: exchange.requestId, backend: backend.id, code: failure.code }, 'upstream failed mid-response');
      res.destroy();
      return;
    }
    const replayable = exchange.body.kind !== 'streamed';
    const safe = failure.neverReachedBackend || isIdempotent(req.method);
    if (exchange.attempts === 1 && replayable && safe && failure.outcome !== 'timeout') {
      deps.metrics.retriesTotal.inc({ algorithm: exchange.algorithm.name, reason: failure.code.toLowerCase() });
      deps.log.info({ request_id: exchange.requestId, backend: backend.id, code: failure.code }, 'retrying on another backend');
      res.removeHeader(BACKEND_HEADER);
      attempt(req, res, exchange, backend);
      if (exchange.backend !== backend) return;
      res.setHeader(BACKEND_HEADER, backend.id); // no other backend: the answer is still this one's
    }
    deps.log.warn({ request_id: exchange.requestId, backend: backend.id, code: failure.code }, 'upstream failed');
    sendJson(res, failure.status, {
      error: failure.error,
      // Which backend and why stay in the log and the x-lbpoc-backend header: the client
      // learns no internal address or error code from the body.
      message: failure.status === 504 ? 'the backend did not answer in time' : 'the backend failed to answer',
      request_id: exchange.requestId,
    });
  }

  /** The client's body outgrew the limit mid-stream: the client's fault, not the backend's. */
  function rejectLargeBody(res: ServerResponse, exchange: Exchange, backend: Backend, error: BodyTooLargeError): void {
    if (!exchange.released) {
      exchange.released = true;
      pool.release(backend, {});
    }
    deps.metrics.rejectedRequestsTotal.inc({ reason: 'body_too_large' });
    deps.log.info({ request_id: exchange.requestId, backend: backend.id, limit: error.limit }, 'request body too large: upstream request aborted');
    sendJson(
      res,
      413,
      { error: 'body_too_large', message: error.message, limit: error.limit, request_id: exchange.requestId },
      { connection: 'close' },
    );
  }

  function onClose(req: TrackedRequest, res: ServerResponse, exchange: Exchange): void {
    const backend = exchange.backend;
    if (backend === undefined) return;
    const now = performance.now();
    if (!exchange.released) {
      exchange.released = true;
      const answered = exchange.responseStarted > 0;
      const latencyMs = (answered ? exchange.responseStarted : now) - exchange.attemptStarted;
      // A client that left before the backend answered says nothing about the backend.
      pool.release(backend, answered ? { latencyMs, outcome: res.statusCode >= 500 ? 'http_5xx' : 'success' } : {});
      if (answered) algorithms.observe(backend.id, latencyMs);
    }
    deps.recorder.finished(exchange.algorithm.lastUsed, backend.id, res.writableFinished ? res.statusCode : undefined, (now - exchange.received) / 1000);
    delete req[EXCHANGE];
  }

  return (incoming, res) => {
    const req = incoming as TrackedRequest;
    const received = performance.now();
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    if (deps.draining()) res.setHeader('connection', 'close');

    const origin = originFormOf(req.url ?? '');
    if (origin === undefined) {
      deps.metrics.rejectedRequestsTotal.inc({ reason: 'bad_request' });
      sendJson(res, 400, { error: 'bad_request', message: badTargetMessage(req.url ?? ''), request_id: requestId });
      return;
    }
    const { name, target } = takeAlgorithmParam(origin);
    if (name !== undefined && !isAlgorithmName(name)) {
      deps.metrics.rejectedRequestsTotal.inc({ reason: 'unknown_algorithm' });
      sendJson(res, 400, {
        error: 'unknown_algorithm',
        message: `unknown algorithm ${JSON.stringify(name)}; use one of: ${ALGORITHM_NAMES.join(', ')}`,
        value: name,
        allowed: ALGORITHM_NAMES,
        request_id: requestId,
      });
      return;
    }
    req.url = target;
    const framing = framingOf(req); // before setForwardedHeaders: `Connection` cannot change it
    const exchange: Exchange = {
      requestId,
      algorithm: name === undefined ? algorithms.default : algorithms.get(name),
      clientAddress: trust.clientAddress(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for']),
      received,
      framing,
      body: NO_BODY,
      backend: undefined,
      attemptStarted: 0,
      responseStarted: 0,
      attempts: 0,
      released: false,
    };
    req[EXCHANGE] = exchange;
    setForwardedHeaders(req, requestId, trust, false);
    res.once('close', () => onClose(req, res, exchange));

    if (framing.kind === 'none') {
      attempt(req, res, exchange); // the common case: no body to hold, no extra turn of the event loop
      return;
    }
    prepareBody(req, framing, deps.maxBodyBytes).then(
      (body) => {
        exchange.body = body;
        attempt(req, res, exchange);
      },
      (error: Error) => {
        deps.log.info({ request_id: requestId, err: error.message }, 'client request body failed');
        res.destroy();
      },
    );
  };
}
