import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';

/** Largest message echoed; bigger ones close the connection (1009) instead of buffering. */
const MAX_PAYLOAD_BYTES = 1024 * 1024;

/** Closes the raw socket of an upgrade that is refused, with a plain HTTP status. */
export function refuseUpgrade(socket: Duplex, status: 404 | 503, reason: string): void {
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Service Unavailable'}\r\n` +
      `content-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/**
 * The `/ws` endpoint: every message is sent back as it came (text stays text, binary
 * stays binary). It exists so the balancer's upgrade path can be tested end to end;
 * the 101 answer carries `x-server-id` to show which backend took the connection.
 */
export function createWebSocketEcho(serverId: string): {
  readonly wss: WebSocketServer;
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, onOpen: () => void): void;
} {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES });
  wss.on('headers', (headers) => headers.push(`x-server-id: ${serverId}`));
  return {
    wss,
    accept(req, socket, head, onOpen) {
      wss.handleUpgrade(req, socket, head, (ws) => {
        onOpen();
        ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
        // A peer that vanishes mid-frame must not become an unhandled error event.
        ws.on('error', () => ws.terminate());
      });
    },
  };
}
