import { STATUS_CODES } from 'node:http';

/**
 * A complete HTTP/1.1 error response as bytes, for the places that own a bare socket
 * rather than a `ServerResponse` (parse errors, refused upgrades, CONNECT). Same JSON
 * shape as `sendJson`: `error` and `message`. The connection is closed after it.
 */
export function rawJsonResponse(status: number, error: string, message: string, headers: Record<string, string> = {}): string {
  const body = JSON.stringify({ error, message });
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  return `${head}\r\n${body}`;
}
