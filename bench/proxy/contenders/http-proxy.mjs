// Contender: classic node-http-proxy 1.18.1, keep-alive agent, round robin over BACKEND_SERVERS.
import http from 'node:http';
import httpProxy from 'http-proxy';

const targets = process.env.BACKEND_SERVERS.split(',').map((hostPort) => `http://${hostPort}`);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const proxy = httpProxy.createProxyServer({ agent });

proxy.on('error', (_err, _req, res) => {
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
