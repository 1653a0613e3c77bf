import type { IncomingMessage, ServerResponse } from 'node:http';
import { type BackendLoad, formatLoadReport } from '@lbpoc/registry';
import { bodyLength } from './body-length.js';
import type { BackendConfig } from './config.js';
import { burnCpu, MAX_CPU_MS, parseCpuMs } from './cpu-burn.js';
import { sampleDelay } from './delay.js';
import { sendJson } from './json-response.js';
import { requestId, requestTarget } from './request-target.js';
import { sleep } from './sleep.js';
import type { Slots } from './slots.js';

export interface RequestHandlerContext {
  readonly config: BackendConfig;
  /** Uniform in [0, 1): delay samples and the error-rate draw. */
  readonly random: () => number;
  /** True once shutdown has begun. */
  readonly isDraining: () => boolean;
  /** CONCURRENCY: the echo's work holds one of these. */
  readonly slots: Slots;
  /** What `/load` and every answer's `endpoint-load-metrics` report. */
  readonly load: () => BackendLoad;
}

/**
 * Routes one HTTP request. `/health`, `/load`, `/cpu` and `/ws` are the named routes; every other
 * path and method gets the echo (after the simulated delay, failing at ERROR_RATE),
 * which is the seed backend's `GET /` generalised so the balancer can be tested with
 * any method and path.
 */
export function createRequestHandler(ctx: RequestHandlerContext): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { config } = ctx;
  const send = (res: ServerResponse, status: number, body: unknown): void =>
    sendJson(res, status, body, { serverId: config.serverId, closeConnection: ctx.isDraining(), loadReport: formatLoadReport(ctx.load()) });

  return async (req, res) => {
    const target = requestTarget(req);
    const id = requestId(req);
    if (id !== null) res.setHeader('x-request-id', id);
    const who = { server_id: config.serverId, host: config.hostname };
    const what = { method: req.method ?? 'GET', path: target.path, request_id: id };

    switch (target.path) {
      case '/health': {
        req.resume();
        const draining = ctx.isDraining();
        send(res, draining ? 503 : 200, { status: draining ? 'draining' : 'ok', server_id: config.serverId });
        return;
      }
      case '/load': {
        // The probe: cheap, never delayed, never queued behind CONCURRENCY, never failing on purpose.
        req.resume();
        const load = ctx.load();
        send(res, 200, {
          server_id: config.serverId,
          in_flight: load.inFlight,
          queued: ctx.slots.queued,
          cpu_utilization: load.cpuUtilization,
          application_utilization: load.applicationUtilization ?? null,
          rps: load.rps,
          eps: load.eps,
          latency_ms: load.latencyMs ?? null,
        });
        return;
      }
      case '/cpu': {
        req.resume();
        const parsed = parseCpuMs(target.params.get('ms'));
        if (!parsed.ok) {
          send(res, 400, { error: parsed.error, parameter: 'ms', allowed: `0..${MAX_CPU_MS}`, ...who });
          return;
        }
        const burned = burnCpu(parsed.ms);
        send(res, 200, { ...who, cpu_ms: parsed.ms, burned_ms: Math.round(burned * 10) / 10, ...what });
        return;
      }
      case '/ws': {
        // Reached only without an Upgrade header: upgrades go to the server's 'upgrade' event.
        req.resume();
        res.setHeader('upgrade', 'websocket');
        send(res, 426, { error: '/ws is a WebSocket echo: connect with a WebSocket client (Upgrade: websocket)', ...who });
        return;
      }
      default: {
        const delayMs = Math.round(sampleDelay(config.delay, ctx.random));
        const body = bodyLength(req);
        await ctx.slots.take();
        let bytes: number;
        try {
          // The simulated work holds the slot; a client that left while queued costs none.
          if (!res.destroyed) await sleep(delayMs);
          bytes = await body;
        } finally {
          ctx.slots.release();
        }
        if (res.destroyed) return; // the client gave up while we waited
        const failed = config.errorRate > 0 && ctx.random() < config.errorRate;
        if (failed) {
          send(res, 500, { error: `simulated failure (ERROR_RATE=${config.errorRate})`, ...who, delay_ms: delayMs, ...what });
          return;
        }
        send(res, 200, { ...who, delay_ms: delayMs, ...what, query: target.query, body_bytes: bytes });
      }
    }
  };
}
