// Contender: http-proxy-3's fetch path (its `fetch` option) with undici's fetch over a
// keep-alive undici Agent, round robin: one of the data paths the balancer could take.
import http from 'node:http';
import { createProxyServer } from 'http-proxy-3';
import { Agent, fetch } from 'undici';
import { serveRoundRobin } from './round-robin-server.mjs';

const dispatcher = new Agent({ connections: 256 });
const proxy = createProxyServer({ fetch: (input, init) => fetch(input, { ...init, dispatcher }) });

proxy.on('error', (_err, _req, res) => {
  if (!(res instanceof http.ServerResponse)) return res.destroy();
  if (res.headersSent) res.destroy();
  else res.writeHead(502).end();
});

serveRoundRobin((req, res, target) => proxy.web(req, res, { target }));
