// Demo backends and the balancer as real processes on 127.0.0.1: the built dist/main.js of
// apps/backend and apps/balancer, configured by environment, on free ports unless given.
// The one harness behind pnpm demo, pnpm soak, pnpm compare and the tests that start the
// real thing. Plain JavaScript, so scripts (.mjs) and tests (.ts) import it with no build
// step; the types and the contract are in local-stack.d.ts.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePorts } from './free-port.js';

export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
export const BACKEND_MAIN = `${REPO_ROOT}apps/backend/dist/main.js`;
export const BALANCER_MAIN = `${REPO_ROOT}apps/balancer/dist/main.js`;
export const BALANCER_NODE_FLAGS = Object.freeze(JSON.parse(readFileSync(`${REPO_ROOT}apps/balancer/node-flags.json`, 'utf8')));

export const DEMO_BACKENDS = Object.freeze([
  Object.freeze({ id: 'fast', delay: '5', weight: 3 }),
  Object.freeze({ id: 'medium', delay: '10-30', weight: 2 }),
  Object.freeze({ id: 'slow', delay: 'exp:80', weight: 1 }),
]);

// Longer than either app's own drain (SHUTDOWN_TIMEOUT_MS, 10 s by default), so a clean
// drain is never cut short; SIGKILL after it, so a stop always ends.
const STOP_GRACE_MS = 15_000;
const READY_TIMEOUT_MS = 10_000;
const LOG_TAIL_CHARS = 20_000;

// Last resort: nothing started here outlives the process that started it, however it ends.
const live = new Set();
let exitHook = false;
function track(child) {
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const leftover of live) leftover.process.kill('SIGKILL');
    });
  }
  live.add(child);
  child.exit.then(() => live.delete(child));
}

export class LocalProcess {
  #output = '';

  constructor(name, entry, { env, nodeFlags = [] }) {
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run  pnpm build  first (pnpm demo, soak and compare build it; so does turbo's test task)`);
    this.name = name;
    this.process = spawn(process.execPath, [...nodeFlags, entry], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk) => (this.#output = (this.#output + chunk).slice(-LOG_TAIL_CHARS));
    this.process.stdout.setEncoding('utf8').on('data', keep);
    this.process.stderr.setEncoding('utf8').on('data', keep);
    this.exit = new Promise((resolve) => {
      this.process.once('error', (error) => {
        keep(`${error.message}\n`);
        resolve({ code: null, signal: null });
      });
      this.process.once('exit', (code, signal) => resolve({ code, signal }));
    });
    track(this);
  }

  get pid() {
    return this.process.pid;
  }

  get log() {
    return this.#output;
  }

  get exited() {
    return this.process.exitCode !== null || this.process.signalCode !== null;
  }

  async stop(graceMs = STOP_GRACE_MS) {
    if (!this.exited) {
      this.process.kill('SIGTERM');
      const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
      await this.exit;
      clearTimeout(timer);
    }
    return (await this.exit).code;
  }
}

async function httpOk(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await response.arrayBuffer();
  return response.ok;
}

async function waitOk(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exited) throw new Error(`${child.name} exited (code ${child.process.exitCode}) before ${url} answered:\n${child.log}`);
    if (await httpOk(url).catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${child.name}: no 2xx from ${url} within ${timeoutMs} ms; its output:\n${child.log}`);
}

/** The given ports, with a distinct free one for each that is missing. */
async function portsFor(wanted) {
  const free = await freePorts(wanted.filter((port) => port === undefined).length);
  return wanted.map((port) => port ?? free.shift());
}

export function backendServers(backends) {
  return backends.map((b) => `${b.address}@${b.weight}`).join(',');
}

export async function startBackend(spec, options = {}) {
  const [port, metricsPort] = await portsFor([options.port, options.metricsPort]);
  const child = new LocalProcess(`backend ${spec.id}`, BACKEND_MAIN, {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ...options.env,
      SERVER_ID: spec.id,
      SIMULATED_DELAY: spec.delay,
      ...(spec.errorRate === undefined ? {} : { ERROR_RATE: String(spec.errorRate) }),
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
    },
  });
  try {
    await waitOk(`http://127.0.0.1:${port}/health`, child, options.readyTimeoutMs ?? READY_TIMEOUT_MS);
  } catch (error) {
    await child.stop(1000);
    throw error;
  }
  return { spec, id: spec.id, weight: spec.weight ?? 1, port, metricsPort, address: `127.0.0.1:${port}`, child };
}

export async function startBalancer(backends, options = {}) {
  const [port, metricsPort] = await portsFor([options.port, options.metricsPort]);
  const child = new LocalProcess('balancer', BALANCER_MAIN, {
    nodeFlags: options.nodeFlags,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LOG_LEVEL: 'warn',
      ...options.env,
      BACKEND_SERVERS: typeof backends === 'string' ? backends : backendServers(backends),
      HOST: '127.0.0.1',
      METRICS_HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
    },
  });
  const adminUrl = `http://127.0.0.1:${metricsPort}`;
  try {
    await waitOk(`${adminUrl}/${options.waitFor ?? 'readyz'}`, child, options.readyTimeoutMs ?? READY_TIMEOUT_MS);
  } catch (error) {
    await child.stop(1000);
    throw error;
  }
  return { port, metricsPort, url: `http://127.0.0.1:${port}`, adminUrl, child };
}

export async function startLocalStack(options = {}) {
  const specs = options.backends ?? DEMO_BACKENDS;
  const ports = options.ports ?? {};
  // All the free ports at once, so that no two of them are the same.
  const [balancerPort, metricsPort, ...backendPorts] = await portsFor([
    ports.balancer,
    ports.metrics,
    ...specs.flatMap((_, i) => [ports.backends?.[i], ports.backendMetrics?.[i]]),
  ]);
  const backendEnv = { ...options.env, ...options.backendEnv };
  const started = await Promise.allSettled(
    specs.map((spec, i) =>
      startBackend(spec, { port: backendPorts[2 * i], metricsPort: backendPorts[2 * i + 1], env: backendEnv, readyTimeoutMs: options.readyTimeoutMs }),
    ),
  );
  const backends = started.filter((result) => result.status === 'fulfilled').map((result) => result.value);
  try {
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const balancer = await startBalancer(backends, {
      port: balancerPort,
      metricsPort,
      env: { ...options.env, ...options.balancerEnv },
      nodeFlags: options.nodeFlags,
      readyTimeoutMs: options.readyTimeoutMs,
    });
    return {
      balancer,
      backends,
      async restartBackend(index, { pauseMs = 0 } = {}) {
        const old = backends[index];
        if (old === undefined) throw new Error(`no backend ${index}: the stack has ${backends.length}`);
        const exitCode = await old.child.stop();
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
        backends[index] = await startBackend(old.spec, {
          port: old.port,
          metricsPort: old.metricsPort,
          env: backendEnv,
          readyTimeoutMs: options.readyTimeoutMs,
        });
        return exitCode;
      },
      // The balancer first, so it does not see its backends go away.
      async stop() {
        const balancerExit = await balancer.child.stop();
        return { balancer: balancerExit, backends: await Promise.all(backends.map((b) => b.child.stop())) };
      },
    };
  } catch (error) {
    await Promise.all(backends.map((b) => b.child.stop()));
    throw error;
  }
}
