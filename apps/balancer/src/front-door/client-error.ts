import type { Duplex } from 'node:stream';
import type { RejectionReason } from '@lbpoc/metrics';
import { rawJsonResponse } from '../raw-response.js';
import type { RejectionCounter } from './rejection-counter.js';

interface Answer {
  readonly status: number;
  readonly reason: RejectionReason;
  readonly message: string;
}

const HEADERS_TOO_LARGE: Answer = {
  status: 431,
  reason: 'headers_too_large',
  message: 'the request target and headers are larger than this balancer accepts (MAX_HEADER_BYTES)',
};
const TIMEOUT: Answer = {
  status: 408,
  reason: 'request_timeout',
  message: 'the request did not arrive in time (HEADERS_TIMEOUT_MS for the head, REQUEST_TIMEOUT_MS for all of it)',
};

function answerFor(code: string | undefined): Answer {
  if (code === 'HPE_HEADER_OVERFLOW') return HEADERS_TOO_LARGE;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return TIMEOUT;
  // Parser codes (HPE_INVALID_METHOD, ...) name the fault without echoing the client's bytes.
  return { status: 400, reason: 'bad_request', message: `malformed HTTP/1.1 request (${code ?? 'unknown error'})` };
}

/** node's parser reports the same error again for every later chunk on a broken connection. */
const answered = new WeakSet<Duplex>();

/**
 * The traffic server's `clientError` listener: what node's parser or its timeouts could
 * not turn into a request gets a proper status (431 for oversized headers, 408 for a
 * slow client, 400 otherwise) with a JSON body, is counted, and the connection closes.
 * A response already under way is never interleaved with: that connection is cut.
 */
export function createClientErrorHandler(count: RejectionCounter): (error: Error & { code?: string }, socket: Duplex) => void {
  return (error, socket) => {
    if (answered.has(socket)) return;
    answered.add(socket);
    // node's own handler makes the same check: bytes of a response may already be out.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true) {
      socket.destroy();
      return;
    }
    const answer = answerFor(error.code);
    count(answer.reason);
    socket.end(rawJsonResponse(answer.status, answer.reason, answer.message));
  };
}
