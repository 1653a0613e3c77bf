import type { IncomingMessage } from 'node:http';

/**
 * Reads the request body to its end without keeping it, and resolves with its length.
 * The body must be consumed for the keep-alive connection to carry the next request;
 * counting it lets the echo show whether the balancer forwarded it whole.
 */
export function bodyLength(req: IncomingMessage): Promise<number> {
  return new Promise((resolve) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.once('end', () => resolve(bytes));
    // A client that goes away mid-body: nothing more will come.
    req.once('close', () => resolve(bytes));
  });
}
