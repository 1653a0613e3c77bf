import type { IncomingMessage, ServerResponse } from 'node:http';
import { type BackendPool, isValidWeight, MAX_WEIGHT } from '@lbpoc/registry';
import type { Logger } from 'pino';
import { sendJson } from '../json-response.js';
import type { AlgorithmSet } from '../routing/algorithm-set.js';
import { AdminRequestError } from './admin-request-error.js';
import type { AdminToken } from './admin-token.js';
import { readJsonBody } from './read-json-body.js';

export interface AdminChangeDeps {
  readonly pool: BackendPool;
  readonly algorithms: AlgorithmSet;
  /** Undefined: `ADMIN_TOKEN` is not set and every change is refused. */
  readonly token: AdminToken | undefined;
  readonly log: Logger;
  /** With worker threads: the restart route; absent, `/workers/...` is not a route. */
  readonly workers?: WorkerControl | undefined;
}

/** The primary's hold on its worker threads, for the admin API. */
export interface WorkerControl {
  /** Worker threads configured (`WORKERS`). */
  readonly configured: number;
  /** Worker threads running now. */
  running(): number;
  /** Ends worker `index` at once (its connections are cut, as in a crash); the primary starts a replacement. False: no such worker. */
  restart(index: number): boolean;
}

/** Write routes, for the 404 message and the README. */
export const ADMIN_CHANGE_ROUTES = [
  'POST /backends/<id>/drain',
  'POST /backends/<id>/undrain',
  'PUT /backends/<id>/weight',
  'PUT /algorithm',
  'POST /workers/<n>/restart',
] as const;

const BODY_LIMIT = 4096;
const BACKEND_ROUTE = /^\/backends\/([^/]+)\/(drain|undrain|weight)$/;
const WORKER_ROUTE = /^\/workers\/(\d{1,3})\/restart$/;

interface Route {
  readonly method: 'POST' | 'PUT';
  readonly action: 'drain' | 'undrain' | 'weight' | 'algorithm' | 'restart';
  /** Percent-encoded as it came in the path. */
  readonly rawId?: string;
}

function routeOf(path: string): Route | undefined {
  if (path === '/algorithm') return { method: 'PUT', action: 'algorithm' };
  const worker = WORKER_ROUTE.exec(path);
  if (worker !== null) return { method: 'POST', action: 'restart', rawId: worker[1]! };
  const match = BACKEND_ROUTE.exec(path);
  if (match === null) return undefined;
  const action = match[2] as 'drain' | 'undrain' | 'weight';
  return { method: action === 'weight' ? 'PUT' : 'POST', action, rawId: match[1]! };
}

/**
 * The admin API's write routes: drain, undrain and re-weight a backend, change the
 * default algorithm. Each needs `Authorization: Bearer <ADMIN_TOKEN>`; every change is
 * logged with who made it (peer address, user agent) and the value before and after.
 * Returns false for a path that is not a write route, for the read-only routes to handle.
 */
export function createAdminChanges(deps: AdminChangeDeps): (req: IncomingMessage, res: ServerResponse, path: string) => boolean {
  const { pool, algorithms, token, log } = deps;

  async function apply(req: IncomingMessage, route: Route): Promise<Record<string, unknown>> {
    const who = { address: req.socket.remoteAddress ?? null, user_agent: req.headers['user-agent'] ?? null };
    if (route.action === 'restart') {
      const index = Number(route.rawId);
      if (deps.workers === undefined || !deps.workers.restart(index)) {
        const count = deps.workers?.configured ?? 1;
        throw new AdminRequestError(
          404,
          'unknown_worker',
          `no worker ${index}: ${deps.workers === undefined ? 'this balancer runs without worker threads (WORKERS=1)' : `workers are numbered 0 to ${count - 1}`}`,
        );
      }
      log.warn({ admin: who, worker: index }, 'admin change: worker restarted');
      return { worker: index, restarted: true };
    }
    if (route.action === 'algorithm') {
      const name = field(await readJsonBody(req, BODY_LIMIT), 'default');
      if (typeof name !== 'string' || !algorithms.has(name)) {
        throw new AdminRequestError(400, 'invalid_value', `"default" must be one of ${algorithms.names.join(', ')}; got ${JSON.stringify(name)}`, {
          field: 'default',
          value: name,
          allowed: algorithms.names,
        });
      }
      const before = algorithms.default.name;
      algorithms.setDefault(name);
      log.info({ admin: who, change: 'default_algorithm', before, after: name }, 'admin change: default algorithm');
      return { default_algorithm: name, previous: before };
    }

    const id = decodeId(route.rawId!);
    const body = route.action === 'weight' ? await readJsonBody(req, BODY_LIMIT) : undefined;
    if (route.action !== 'weight') req.resume(); // drain and undrain take no body
    const backend = pool.get(id);
    if (backend === undefined) {
      throw new AdminRequestError(
        404,
        'unknown_backend',
        `no backend ${JSON.stringify(id)}; known ids: ${
          pool
            .all()
            .map((b) => b.id)
            .join(', ') || '(none)'
        }`,
        {
          value: id,
        },
      );
    }
    if (route.action === 'weight') {
      const weight = field(body, 'weight');
      if (!isValidWeight(weight)) {
        throw new AdminRequestError(
          400,
          'invalid_value',
          `"weight" must be an integer from 0 to ${MAX_WEIGHT} (0 = drained); got ${JSON.stringify(weight) ?? 'nothing'}`,
          {
            field: 'weight',
            value: weight,
            allowed: `0..${MAX_WEIGHT}`,
          },
        );
      }
      const before = backend.configuredWeight;
      pool.setWeight(id, weight as number);
      log.info({ admin: who, change: 'weight', backend: id, before, after: weight }, 'admin change: backend weight');
    } else {
      const before = backend.drained;
      pool.setDrained(id, route.action === 'drain');
      log.info(
        {
          admin: who,
          change: route.action,
          backend: id,
          before: { drained: before },
          after: { drained: route.action === 'drain' },
          in_flight: backend.inFlight,
        },
        `admin change: ${route.action}`,
      );
    }
    return { backend: pool.get(id)!.toJSON() };
  }

  return (req, res, path) => {
    const route = routeOf(path);
    if (route === undefined) return false;
    if (req.method !== route.method) {
      sendJson(res, 405, { error: 'method_not_allowed', message: `use ${route.method} ${path}` }, { allow: route.method });
      return true;
    }
    if (token === undefined) {
      sendJson(res, 403, { error: 'admin_writes_disabled', message: 'run-time changes are disabled: start the balancer with ADMIN_TOKEN set to enable them' });
      return true;
    }
    const authorization = req.headers.authorization;
    if (!token.accepts(authorization)) {
      log.warn(
        { admin: { address: req.socket.remoteAddress ?? null }, route: `${req.method} ${path}`, token_given: authorization !== undefined },
        'admin change refused: bad or missing token',
      );
      const challenge = authorization === undefined ? 'Bearer realm="lbpoc-admin"' : 'Bearer realm="lbpoc-admin", error="invalid_token"';
      sendJson(res, 401, { error: 'unauthorized', message: 'send Authorization: Bearer <ADMIN_TOKEN>' }, { 'www-authenticate': challenge });
      return true;
    }
    apply(req, route).then(
      (result) => sendJson(res, 200, result),
      (error: unknown) => {
        if (error instanceof AdminRequestError) {
          sendJson(res, error.status, { error: error.error, message: error.message, ...error.details });
          return;
        }
        log.error({ err: (error as Error).message, route: `${req.method} ${path}` }, 'admin change failed');
        sendJson(res, 500, { error: 'internal_error', message: 'the change could not be applied; see the balancer log' });
      },
    );
    return true;
  };
}

/** The one field a change takes from its body; anything else in the body is a mistake worth reporting. */
function field(body: unknown, name: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AdminRequestError(400, 'invalid_body', `the body must be a JSON object like {"${name}": …}`);
  }
  const extra = Object.keys(body).filter((key) => key !== name);
  if (extra.length > 0)
    throw new AdminRequestError(400, 'invalid_body', `unexpected field(s) ${extra.map((k) => JSON.stringify(k)).join(', ')}; only "${name}" is accepted`);
  if (!(name in body)) throw new AdminRequestError(400, 'invalid_body', `the body needs a "${name}" field`);
  return (body as Record<string, unknown>)[name];
}

function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new AdminRequestError(400, 'invalid_backend_id', `the backend id in the path is not valid percent-encoding: ${JSON.stringify(raw)}`);
  }
}
