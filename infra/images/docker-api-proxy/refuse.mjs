// @ts-check
/**
 * Refusals, in Docker's own error shape (`{"message": ...}`) so clients report them as they
 * would the engine's, and always with `connection: close`: a refused request may have
 * bytes behind it (a body, a pipelined request) that were never judged, and none of them
 * may be read as a next request on that connection. Sockets refused once are remembered,
 * and any request already parsed from them is dropped unanswered (proxy.mjs).
 */
import { STATUS_CODES } from 'node:http';

/** @type {WeakSet<import('node:net').Socket | import('node:stream').Duplex>} */
const refusedSockets = new WeakSet();

/** @param {import('node:net').Socket | import('node:stream').Duplex} socket */
export const wasRefused = (socket) => refusedSockets.has(socket);

/** @param {string} message */
const errorBody = (message) => JSON.stringify({ message: `docker-api-proxy: ${message}` });

/**
 * Answers a request with an error and closes the connection after it. When the answer has
 * already begun (an upstream failure mid-stream), the only honest signal left is to cut it.
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} message
 */
export function refuse(res, status, message) {
  refusedSockets.add(res.req.socket);
  // Whatever body follows is read and thrown away (never forwarded, never parsed as a
  // request), so the socket closes with a FIN after the answer: closing it with unread
  // bytes would reset the connection and could lose the answer on the way.
  res.req.resume();
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorBody(message);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
  res.end(body);
}

/**
 * The same on a bare socket, where Node's HTTP layer has let go of it: a parse error
 * (`clientError`), an upgrade or a CONNECT. Nothing more from the socket is parsed.
 * @param {import('node:net').Socket | import('node:stream').Duplex} socket
 * @param {number} status
 * @param {string} message
 */
export function refuseSocket(socket, status, message) {
  refusedSockets.add(socket);
  // Detach Node's HTTP parser (if still attached) and throw away what arrives, for the
  // reason given in refuse(); the timer below bounds how long that goes on.
  socket.removeAllListeners('data');
  socket.on('data', () => {});
  socket.resume();
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = errorBody(message);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
  // A peer that neither reads its answer nor closes must not keep the socket open.
  setTimeout(() => socket.destroy(), 2000).unref();
}
