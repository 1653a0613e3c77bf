import type { ServerResponse } from 'node:http';
import { LOAD_REPORT_HEADER } from '@lbpoc/registry';

export interface JsonResponseOptions {
  readonly serverId: string;
  /** Ask the client to close the connection after this answer (the backend is draining). */
  readonly closeConnection: boolean;
  /** The `endpoint-load-metrics` value: this backend's load as the answer leaves. */
  readonly loadReport: string;
}

/**
 * Sends `body` as JSON. Every answer carries `x-server-id`, so a client behind the
 * balancer can tell which backend answered even from headers alone (HEAD, errors).
 * Every answer also carries the backend's load (`endpoint-load-metrics`, ORCA's text
 * form), which load-aware balancers read for free. While draining, answers carry `connection: close`, so a keep-alive client (the
 * balancer's agent) opens its next request elsewhere instead of on a closing socket.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, options: JsonResponseOptions): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-server-id': options.serverId,
    [LOAD_REPORT_HEADER]: options.loadReport,
    ...(options.closeConnection ? { connection: 'close' } : {}),
  });
  res.end(text);
}
