import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BalancerMetrics } from '@lbpoc/metrics';
import { parseLoadReport, type ReleaseResult } from '@lbpoc/registry';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { BodyTooLargeError } from '../front-door/body-limit.js';
import { sendJson } from '../json-response.js';
import type { AlgorithmSet } from '../routing/algorithm-set.js';
import type { RoutableBackend as Backend, RequestPool } from '../routing/request-pool.js';
import { isRefusal, NO_BACKEND_MESSAGE, NO_BACKEND_RETRY_AFTER, type Route, type Router } from '../routing/request-route.js';
import { originOf } from './backend-target.js';
import { setForwardedHeaders } from './forwarded-headers.js';
import { heldBody, NO_BODY, prepareBody, type RequestBody } from './replayable-body.js';
import { type BodyFraming, framingOf } from './request-framing.js';
import { requestIdOf } from './request-id.js';
import type { RequestRecorder } from './request-recorder.js';
import { ClientGoneError, ResponseRelay } from './response-relay.js';
import { COARSE_TIMEOUT_FLOOR_MS } from './upstream-agent.js';
import { classifyUpstreamError, isIdempotent, retryReasonOf } from './upstream-failure.js';
import { upstreamHeaders } from './upstream-headers.js';

/** Response headers naming who served the request and how it was chosen (documented in the README). */
export const BACKEND_HEADER = 'x-lbpoc-backend';
export const ALGORITHM_HEADER = 'x-lbpoc-algorithm';

export interface ProxyHandlerDeps {
  readonly pool: RequestPool;
  readonly algorithms: AlgorithmSet;
  readonly router: Router;
  /** The keep-alive connections to the backends (upstream-agent.ts). */
  readonly upstream: Dispatcher;
  readonly metrics: BalancerMetrics;
  readonly recorder: RequestRecorder;
  readonly trust: Parameters<typeof setForwardedHeaders>[2];
  /** No byte from the backend for this long (before or between response chunks): 504, or the response is cut. */
  readonly upstreamTimeoutMs: number;
  readonly log: Logger;
  /** True once shutdown began: responses then ask the client to close its connection. */
  readonly draining: () => boolean;
  /** `MAX_BODY_BYTES` (0 or absent: no limit); bodies of unknown length are counted against it as they stream. */
  readonly maxBodyBytes?: number;
  /** `RETRIES`: how many other backends a failed request may try, when a retry is safe. */
  readonly retries: number;
}

/** One client request on its way through: what every attempt at it shares. */
interface Exchange {
  readonly requestId: string;
  readonly route: Route;
  readonly received: number;
  /** The client's body framing as node parsed it, taken before any header was removed. */
  readonly framing: BodyFraming;
  body: RequestBody;
  backend: Backend | undefined;
  /** The algorithm's answer for this attempt (for adaptive, the algorithm it chose). */
  used: string;
  relay: ResponseRelay | undefined;
  attemptStarted: number;
  responseStarted: number;
  attempts: number;
  /** The backends that failed this request; undefined until one does (no allocation on the common path). */
  tried: Backend[] | undefined;
  /** The current backend has been released: nothing may release it again. */
  released: boolean;
}

/**
 * The balancer's request path: route the request (routing/request-route.ts), pick a backend,
 * forward it over undici's keep-alive connections with the framing the balancer chose,
 * relay the answer as it streams, retry on other backends (up to `RETRIES`) when that is safe, and
 * account for the result (pool health feedback, latency feedback to the algorithms,
 * metrics). WebSocket upgrades take the same route, then http-proxy-3 (websocket-handler.ts).
 */
export function createProxyHandler(deps: ProxyHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { pool, algorithms, router, upstream } = deps;
  const preciseDeadline = deps.upstreamTimeoutMs < COARSE_TIMEOUT_FLOOR_MS ? deps.upstreamTimeoutMs : undefined;

  function release(exchange: Exchange, backend: Backend, outcome: ReleaseResult): void {
    if (exchange.released) return;
    exchange.released = true;
    pool.release(backend, outcome);
  }

  function attempt(req: IncomingMessage, res: ServerResponse, exchange: Exchange): void {
    const backend = router.pick(exchange.route, exchange.tried);
    if (backend === undefined) {
      if (exchange.attempts > 0) return; // the caller answers the failed attempt
      sendJson(
        res,
        503,
        { error: 'no_backend', message: NO_BACKEND_MESSAGE, request_id: exchange.requestId },
        { ...baseHeaders(exchange), 'retry-after': NO_BACKEND_RETRY_AFTER },
      );
      return;
    }
    exchange.backend = backend;
    exchange.used = exchange.route.algorithm.lastUsed;
    exchange.attempts++;
    exchange.released = false;
    exchange.attemptStarted = performance.now();
    exchange.responseStarted = 0;
    pool.acquire(backend);
    const own = ['x-request-id', exchange.requestId, BACKEND_HEADER, backend.id, ALGORITHM_HEADER, exchange.used];
    if (deps.draining()) own.push('connection', 'close');
    const relay = new ResponseRelay(
      res,
      own,
      {
        responseStarted: () => {
          exchange.responseStarted = performance.now();
        },
        loadReported: (value) => {
          const load = parseLoadReport(value);
          if (load !== undefined) pool.reportLoad(backend.id, load);
        },
        failed: (error) => onAttemptFailed(req, res, exchange, backend, error),
      },
      preciseDeadline,
    );
    exchange.relay = relay;
    const held = heldBody(exchange.body);
    try {
      upstream.dispatch(
        {
          origin: originOf(backend),
          path: exchange.route.target,
          method: req.method!,
          headers: upstreamHeaders(req.headers, contentLengthOf(exchange.framing, held)),
          body: held ?? (exchange.body.kind === 'streamed' ? (exchange.body.counted ?? req) : null),
          headersTimeout: preciseDeadline === undefined ? deps.upstreamTimeoutMs : 0,
          bodyTimeout: deps.upstreamTimeoutMs,
        },
        relay,
      );
    } catch (error) {
      // undici reports what it refuses through the relay; a throw is a bug (ours or a
      // library's), and fails this request alone.
      failInternally(res, exchange, backend, error as Error);
    }
  }

  function onAttemptFailed(req: IncomingMessage, res: ServerResponse, exchange: Exchange, backend: Backend, error: Error & { code?: string }): void {
    if (exchange.backend !== backend) return; // a late report from an attempt already given up on
    if (error instanceof BodyTooLargeError) {
      rejectLargeBody(res, exchange, backend, error);
      return;
    }
    // The client left (or its body broke off): nothing to answer, nobody to blame.
    if (error instanceof ClientGoneError || res.destroyed || req.socket.destroyed || req.errored) {
      release(exchange, backend, {});
      res.destroy();
      return;
    }
    const failure = classifyUpstreamError(error);
    if (failure.internal) {
      failInternally(res, exchange, backend, error);
      return;
    }
    release(exchange, backend, { outcome: failure.outcome, latencyMs: performance.now() - exchange.attemptStarted });
    if (res.headersSent) {
      // The response had begun: all we can do is end it.
      deps.log.warn({ request_id: exchange.requestId, backend: backend.id, code: failure.code }, 'upstream failed mid-response');
      res.destroy();
      return;
    }
    const replayable = exchange.body.kind !== 'streamed';
    const safe = failure.neverReachedBackend || isIdempotent(req.method);
    if (exchange.attempts <= deps.retries && replayable && safe && failure.outcome !== 'timeout') {
      // Each retry goes to a backend this request has not tried: several backends can fail
      // at once (a scale-down stops them together, before discovery has taken them out).
      (exchange.tried ??= []).push(backend);
      deps.metrics.retriesTotal.inc({ algorithm: exchange.route.algorithm.name, reason: retryReasonOf(failure) });
      deps.log.info({ request_id: exchange.requestId, backend: backend.id, code: failure.code, attempt: exchange.attempts }, 'retrying on another backend');
      attempt(req, res, exchange);
      if (exchange.backend !== backend) return;
    }
    deps.log.warn({ request_id: exchange.requestId, backend: backend.id, code: failure.code }, 'upstream failed');
    // Which backend and why stay in the log and the x-lbpoc-backend header: the client
    // learns no internal address or error code from the body.
    sendJson(
      res,
      failure.status,
      {
        error: failure.error,
        message: failure.status === 504 ? 'the backend did not answer in time' : 'the backend failed to answer',
        request_id: exchange.requestId,
      },
      attemptHeaders(exchange, backend),
    );
  }

  /**
   * The request could not be sent for a reason of the balancer's own (input undici will
   * not send, or a bug): it fails alone with a 500, the backend is not blamed, and the
   * error never reaches the process, where it would end every other client's request too.
   */
  function failInternally(res: ServerResponse, exchange: Exchange, backend: Backend, error: Error): void {
    release(exchange, backend, {});
    deps.log.error({ request_id: exchange.requestId, backend: backend.id, err: error }, 'proxying failed inside the balancer');
    sendJson(
      res,
      500,
      { error: 'internal_error', message: 'the balancer failed to forward this request (logged under its request_id)', request_id: exchange.requestId },
      baseHeaders(exchange),
    );
  }

  /** The client's body outgrew the limit mid-stream: the client's fault, not the backend's. */
  function rejectLargeBody(res: ServerResponse, exchange: Exchange, backend: Backend, error: BodyTooLargeError): void {
    release(exchange, backend, {});
    deps.metrics.rejectedRequestsTotal.inc({ reason: 'body_too_large' });
    deps.log.info({ request_id: exchange.requestId, backend: backend.id, limit: error.limit }, 'request body too large: upstream request aborted');
    sendJson(
      res,
      413,
      { error: 'body_too_large', message: error.message, limit: error.limit, request_id: exchange.requestId },
      { ...baseHeaders(exchange), connection: 'close' },
    );
  }

  function onClose(res: ServerResponse, exchange: Exchange): void {
    const backend = exchange.backend;
    if (backend === undefined) return;
    if (!res.writableFinished) exchange.relay?.abort(new ClientGoneError('the client closed the connection'));
    const now = performance.now();
    if (!exchange.released) {
      const answered = exchange.responseStarted > 0;
      const latencyMs = (answered ? exchange.responseStarted : now) - exchange.attemptStarted;
      // A client that left before the backend answered says nothing about the backend.
      release(exchange, backend, answered ? { latencyMs, outcome: res.statusCode >= 500 ? 'http_5xx' : 'success' } : {});
      if (answered) algorithms.observe(backend.id, latencyMs);
    }
    deps.recorder.finished(exchange.used, backend.id, res.writableFinished ? res.statusCode : undefined, (now - exchange.received) / 1000);
  }

  function baseHeaders(exchange: Exchange): Record<string, string> {
    return deps.draining() ? { 'x-request-id': exchange.requestId, connection: 'close' } : { 'x-request-id': exchange.requestId };
  }

  function attemptHeaders(exchange: Exchange, backend: Backend): Record<string, string> {
    return { ...baseHeaders(exchange), [BACKEND_HEADER]: backend.id, [ALGORITHM_HEADER]: exchange.used };
  }

  return (req, res) => {
    const received = performance.now();
    const requestId = requestIdOf(req);
    const route = router.route(req);
    if (isRefusal(route)) {
      sendJson(
        res,
        400,
        { ...route, request_id: requestId },
        deps.draining() ? { 'x-request-id': requestId, connection: 'close' } : { 'x-request-id': requestId },
      );
      return;
    }
    const framing = framingOf(req); // before setForwardedHeaders: `Connection` cannot change it
    const exchange: Exchange = {
      requestId,
      route,
      received,
      framing,
      body: NO_BODY,
      backend: undefined,
      used: route.algorithm.name,
      relay: undefined,
      attemptStarted: 0,
      responseStarted: 0,
      attempts: 0,
      tried: undefined,
      released: false,
    };
    setForwardedHeaders(req, requestId, deps.trust, false);
    res.once('close', () => onClose(res, exchange));

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

/** The Content-Length of the upstream request: the held body's, the declared one, 0, or none (chunked, or no body). */
function contentLengthOf(framing: BodyFraming, held: Buffer | undefined): number | undefined {
  if (held !== undefined) return held.length;
  if (framing.kind === 'length') return framing.length;
  return framing.kind === 'none' && framing.declaredZero ? 0 : undefined;
}
