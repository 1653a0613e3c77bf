import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * The demo setup of scripts/demo.mjs, started on free ports of 127.0.0.1: three backends,
 * one of them slow with a long tail, and the balancer in front. Stopped by pid.
 */
export const DEMO_BACKENDS = [
  { id: 'fast', delay: '5', weight: 3 },
  { id: 'medium', delay: '10-30', weight: 2 },
  { id: 'slow', delay: 'exp:80', weight: 1 },
];

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function start(name, entry, env, children) {
  const path = `${ROOT}${entry}`;
  if (!existsSync(path)) throw new Error(`${path} is missing: run  pnpm build  first (pnpm compare does)`);
  const child = spawn(process.execPath, [path], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => (log = (log + chunk).slice(-4000)));
  children.push({ name, child, log: () => log });
  return child;
}

async function waitOk(url, what, children) {
  for (let i = 0; i < 100; i++) {
    const dead = children.find(({ child }) => child.exitCode !== null);
    if (dead) throw new Error(`${dead.name} exited (code ${dead.child.exitCode}): ${dead.log()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not answer at ${url}`);
}

/** @returns {Promise<{ url: string, backends: { id: string, address: string, delay: string, weight: number }[], stop: () => Promise<void> }>} */
export async function startLocalSetup(backends = DEMO_BACKENDS) {
  const children = [];
  const stop = async () => {
    // The balancer first, so it does not see its backends go away.
    for (const { child } of [...children].reverse()) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    }
  };
  try {
    const running = [];
    for (const backend of backends) {
      const port = await freePort();
      start(
        `backend ${backend.id}`,
        'apps/backend/dist/main.js',
        { SERVER_ID: backend.id, SIMULATED_DELAY: backend.delay, HOST: '127.0.0.1', PORT: String(port), METRICS_PORT: String(await freePort()) },
        children,
      );
      await waitOk(`http://127.0.0.1:${port}/health`, `backend ${backend.id}`, children);
      running.push({ ...backend, address: `127.0.0.1:${port}` });
    }
    const port = await freePort();
    const metricsPort = await freePort();
    start(
      'balancer',
      'apps/balancer/dist/main.js',
      {
        BACKEND_SERVERS: running.map((b) => `${b.address}@${b.weight}`).join(','),
        HOST: '127.0.0.1',
        METRICS_HOST: '127.0.0.1',
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        LOG_LEVEL: 'warn',
        // All the load comes from this one address, with up to --concurrency connections.
        MAX_CONNECTIONS_PER_CLIENT: '0',
      },
      children,
    );
    await waitOk(`http://127.0.0.1:${metricsPort}/readyz`, 'the balancer', children);
    return { url: `http://127.0.0.1:${port}/`, backends: running, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
