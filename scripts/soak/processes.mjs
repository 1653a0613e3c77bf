// The processes under test: three demo backends and the balancer, all built bundles, on
// free ports of 127.0.0.1. Every child is killed when the run ends, however it ends.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export const BACKENDS = [
  { id: 'fast', delay: '5', weight: 3 },
  { id: 'medium', delay: '10-30', weight: 2 },
  { id: 'slow', delay: 'exp:40', weight: 1 },
];

const children = new Set();
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

export async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function start(root, entry, env, nodeFlags = []) {
  const child = spawn(process.execPath, [...nodeFlags, entry], { cwd: root, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.log = '';
  const keep = (chunk) => (child.log = (child.log + chunk).slice(-200_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('exit', () => children.delete(child));
  return child;
}

export function startBackend(root, backend, port) {
  return start(root, 'apps/backend/dist/main.js', {
    SERVER_ID: backend.id,
    SIMULATED_DELAY: backend.delay,
    HOST: '127.0.0.1',
    PORT: String(port),
    METRICS_PORT: '0',
  });
}

export function startBalancer(root, env, nodeFlags = []) {
  return start(root, 'apps/balancer/dist/main.js', { HOST: '127.0.0.1', METRICS_HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env }, nodeFlags);
}

export async function waitUntil(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Graceful stop: SIGTERM, then wait for the exit; the exit code says whether it drained cleanly. */
export async function stop(child, timeoutMs = 15_000) {
  if (child.exitCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = await once(child, 'exit');
  clearTimeout(timer);
  return code;
}

/** Resident set size of a process in bytes (Linux /proc), or undefined once it is gone. */
export function rssBytes(pid) {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
