import { createServer, type Server } from 'node:http';
import { sendJson } from '../json-response.js';
import { createClientErrorHandler } from './client-error.js';
import type { FrontDoorConfig } from './front-door-config.js';
import type { RejectionCounter } from './rejection-counter.js';
import { httpServerOptions } from './traffic-server.js';

/** A Host header we are willing to put into a Location: a name or an IP (v6 in brackets), with an optional port. */
const HOST = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}))(?::\d{1,5})?$/;

/**
 * `TLS_REDIRECT_PORT`: a plain-HTTP listener that sends every request to the same host
 * and target on https, with 308 so that the method and body are kept (301 lets clients
 * turn a POST into a GET). The host comes from the request, as nginx's `https://$host`
 * does; the port is the TLS listener's (left out when it is 443).
 */
export function createTlsRedirectServer(frontDoor: FrontDoorConfig, tlsPort: () => number, count: RejectionCounter): Server {
  const server = createServer({ ...httpServerOptions(frontDoor), shouldUpgradeCallback: () => false }, (req, res) => {
    const match = HOST.exec(req.headers.host ?? '');
    if (match === null) {
      sendJson(res, 400, { error: 'bad_request', message: 'a valid Host header is needed to redirect to https' });
      return;
    }
    const port = tlsPort();
    const target = req.url?.startsWith('/') ? req.url : '/';
    const location = `https://${match[1]!.toLowerCase()}${port === 443 ? '' : `:${port}`}${target}`;
    res.writeHead(308, { location, 'content-length': 0, connection: 'close' }).end();
  });
  server.on('clientError', createClientErrorHandler(count));
  return server;
}
