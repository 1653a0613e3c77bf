// Contender: bare http-proxy-3 (the library under apps/balancer), keep-alive agent, round robin.
import http from 'node:http';
import { createProxyServer } from 'http-proxy-3';

const targets = process.env.BACKEND_SERVERS.split(',').map((hostPort) => `http://${hostPort}`);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const proxy = createProxyServer({ agent });

proxy.on('error', (_err, _req, res) => {
  // For web requests res is a ServerResponse; for upgrades it would be a socket.
  if (!(res instanceof http.ServerResponse)) return res.destroy();
  if (res.headersSent) res.destroy();
  else res.writeHead(502).end();
});

let next = 0;
http
  .createServer((req, res) => {
    const target = targets[next];
    next = (next + 1) % targets.length;
    proxy.web(req, res, { target });
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
