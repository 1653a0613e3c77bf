import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What we accept as a caller's request id: short and printable, so it is safe in logs and headers. */
const ACCEPTABLE_ID = /^[\w.:@/+=-]{1,128}$/;

/**
 * The request's id: the caller's `X-Request-Id` when it is sane (so a trace spans the
 * systems in front of us), else a new UUID. The balancer passes it to the backend and
 * returns it to the client.
 */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID();
}
