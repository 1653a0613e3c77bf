// Contender: bare http-proxy-3 (the library under apps/balancer) with its default options,
// keep-alive agent, round robin.
import http from 'node:http';
import { createProxyServer } from 'http-proxy-3';
import { serveRoundRobin } from './round-robin-server.mjs';

const proxy = createProxyServer({ agent: new http.Agent({ keepAlive: true, maxSockets: 256 }) });

proxy.on('error', (_err, _req, res) => {
  // For web requests res is a ServerResponse; for upgrades it would be a socket.
  if (!(res instanceof http.ServerResponse)) return res.destroy();
  if (res.headersSent) res.destroy();
  else res.writeHead(502).end();
});

serveRoundRobin((req, res, target) => proxy.web(req, res, { target }));
