// What every Node contender shares: BACKEND_SERVERS in turn, a plain HTTP server on PORT.
import http from 'node:http';

export const targets = process.env.BACKEND_SERVERS.split(',').map((hostPort) => `http://${hostPort}`);

/** Listens on 127.0.0.1:PORT and hands each request to `forward` with the next target in turn. */
export function serveRoundRobin(forward) {
  let next = 0;
  http
    .createServer((req, res) => {
      const target = targets[next];
      next = (next + 1) % targets.length;
      forward(req, res, target);
    })
    .listen(Number(process.env.PORT), '127.0.0.1');
}
