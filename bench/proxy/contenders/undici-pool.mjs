// Contender: the floor for a Node proxy without features — node:http in front of one
// undici Pool per backend, round robin, no header rewriting beyond hop-by-hop removal.
import http from 'node:http';
import { pipeline } from 'node:stream';
import { Pool } from 'undici';

const pools = process.env.BACKEND_SERVERS.split(',').map((hostPort) => new Pool(`http://${hostPort}`, { connections: 256 }));

// Hop-by-hop headers: undici rejects some of them on requests, and none may be forwarded.
const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer'];
function withoutHopByHop(headers) {
  const out = { ...headers };
  for (const name of HOP_BY_HOP) delete out[name];
  return out;
}

function hasBody(req) {
  return req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
}

let next = 0;
http
  .createServer(async (req, res) => {
    const pool = pools[next];
    next = (next + 1) % pools.length;
    try {
      const upstream = await pool.request({
        path: req.url,
        method: req.method,
        headers: withoutHopByHop(req.headers),
        body: hasBody(req) ? req : null,
      });
      res.writeHead(upstream.statusCode, withoutHopByHop(upstream.headers));
      pipeline(upstream.body, res, () => {});
    } catch {
      if (res.headersSent) res.destroy();
      else res.writeHead(502).end();
    }
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
