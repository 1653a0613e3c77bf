// One freePort for the repository: tests (.ts, through free-port.d.ts) and scripts (.mjs)
// import this file as it is, with no build step.
import { createServer } from 'node:net';

/** A port that was free on 127.0.0.1 a moment ago (the kernel's pick for port 0). */
export async function freePort() {
  const [port] = await freePorts(1);
  return port;
}

/** `count` different ports that were free on 127.0.0.1 a moment ago: all are held open at once, so no two are the same. */
export async function freePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    }
    return servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port from the kernel');
      return address.port;
    });
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => (server.listening ? server.close(resolve) : resolve()))));
  }
}
