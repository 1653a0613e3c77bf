// Contender: classic node-http-proxy 1.18.1, keep-alive agent, round robin over BACKEND_SERVERS.
import http from 'node:http';
import httpProxy from 'http-proxy';
import { serveRoundRobin } from './round-robin-server.mjs';

const proxy = httpProxy.createProxyServer({ agent: new http.Agent({ keepAlive: true, maxSockets: 256 }) });

proxy.on('error', (_err, _req, res) => {
  if (res.headersSent) res.destroy();
  else res.writeHead(502).end();
});

serveRoundRobin((req, res, target) => proxy.web(req, res, { target }));
