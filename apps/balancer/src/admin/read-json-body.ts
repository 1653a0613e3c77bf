import type { IncomingMessage } from 'node:http';
import { AdminRequestError } from './admin-request-error.js';

/**
 * Reads a small JSON request body. Anything longer than `limit` bytes is refused (413)
 * without being held; empty or unparseable input is a 400 quoting the parser's complaint.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw new AdminRequestError(413, 'body_too_large', `the JSON body must be at most ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new AdminRequestError(413, 'body_too_large', `the JSON body must be at most ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new AdminRequestError(400, 'invalid_json', 'the request needs a JSON body');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AdminRequestError(400, 'invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
  }
}
