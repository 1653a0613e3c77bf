import { connect } from 'node:net';

export interface RawResult {
  /** Everything the server sent, as latin1 text (bytes preserved one to one). */
  readonly text: string;
  /** ms from connecting until the server closed (or `timeoutMs` when it did not). */
  readonly closedAfterMs: number;
  /** The server closed (FIN or reset) before the timeout. */
  readonly closed: boolean;
  readonly reset: boolean;
}

/**
 * Writes raw bytes to a real TCP socket and collects the answer until the server closes
 * the connection or `timeoutMs` passes. node aborts a request whose client half-closes,
 * so by default the socket is half-closed only once the server has been quiet for
 * `idleMs` (a server still waiting for the rest of a request then learns none is coming);
 * `end: true` half-closes at once, `end: false` never. `bytes` given as parts go out
 * `gapMs` apart (a body split from its head, chunks split across packets).
 */
export function rawExchange(
  port: number,
  bytes: string | Buffer | readonly Buffer[],
  options: { timeoutMs?: number; end?: boolean; idleMs?: number; host?: string; gapMs?: number } = {},
): Promise<RawResult> {
  const { timeoutMs = 5000, end, idleMs = 250, host = '127.0.0.1', gapMs = 5 } = options;
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(port, host);
    const chunks: Buffer[] = [];
    let reset = false;
    let settled = false;
    let idle: NodeJS.Timeout | undefined;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(idle);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closedAfterMs: performance.now() - started, closed, reset });
    };
    const quiet = () => {
      if (end !== undefined) return;
      clearTimeout(idle);
      idle = setTimeout(() => socket.end(), idleMs);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      quiet();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') reset = true;
    });
    socket.on('close', () => finish(true));
    socket.on('connect', async () => {
      // An array is sent part by part, `gapMs` apart, so each part tends to arrive in a packet of its own.
      const parts = typeof bytes === 'string' || Buffer.isBuffer(bytes) ? [bytes] : bytes;
      for (let i = 0; i < parts.length; i++) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
        if (settled) return;
        if (end === true && i === parts.length - 1) socket.end(parts[i]!);
        else socket.write(parts[i]!, quiet);
      }
    });
  });
}

export interface ParsedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The first response in `text`: status, lower-cased headers, and the body by content-length (else the rest). */
export function parseResponse(text: string): ParsedResponse | undefined {
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const [statusLine, ...lines] = text.slice(0, headEnd).split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '');
  if (match === null) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = text.slice(headEnd + 4);
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  // `text` holds one character per byte: cut by content-length in bytes (or de-chunk), then decode UTF-8.
  const bytes = headers['transfer-encoding']?.toLowerCase() === 'chunked' ? dechunk(rest) : length === undefined ? rest : rest.slice(0, length);
  return { status: Number(match[1]), headers, body: Buffer.from(bytes, 'latin1').toString('utf8') };
}

/** The payload of a chunked body (what arrived of it), extensions and trailers ignored. */
function dechunk(text: string): string {
  let payload = '';
  let at = 0;
  for (;;) {
    const lineEnd = text.indexOf('\r\n', at);
    if (lineEnd < 0) return payload;
    const size = Number.parseInt(text.slice(at, lineEnd).split(';', 1)[0]!, 16);
    if (!(size > 0)) return payload;
    payload += text.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}
