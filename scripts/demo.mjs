#!/usr/bin/env node
/**
 * The main job with no Docker: three demo backends with different delays and weights,
 * the balancer in front of them on 127.0.0.1:5000 (metrics and admin on :8000), and a
 * live status line. Ctrl-C stops everything cleanly.
 *
 *   pnpm demo                      # then: curl 'http://127.0.0.1:5000/?algo=round_robin'
 *   pnpm demo --load 50            # also send 50 requests/s of its own
 *   pnpm demo --for 10 --port 5500 --metrics-port 8500
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

// Declared before any child starts: a child that exits early reads it.
let stopping = false;

const root = fileURLToPath(new URL('..', import.meta.url));
const BACKENDS = [
  { id: 'fast', delay: '5', weight: 3 },
  { id: 'medium', delay: '10-30', weight: 2 },
  { id: 'slow', delay: 'exp:80', weight: 1 },
];

function fail(message) {
  process.stderr.write(`demo: ${message}\n`);
  process.exit(2);
}

function intOption(name, value, min, max) {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) fail(`--${name} ${JSON.stringify(value)} must be an integer from ${min} to ${max}`);
  return number;
}

let args;
try {
  args = parseArgs({
    options: { load: { type: 'string' }, for: { type: 'string' }, port: { type: 'string' }, 'metrics-port': { type: 'string' } },
    strict: true,
  }).values;
} catch (error) {
  fail(`${error.message}; options: --load <requests/s>, --for <seconds>, --port <n>, --metrics-port <n>`);
}
const load = intOption('load', args.load, 0, 1000) ?? 0;
const seconds = intOption('for', args.for, 1, 86_400);
const port = intOption('port', args.port, 1, 65_535) ?? 5000;
const metricsPort = intOption('metrics-port', args['metrics-port'], 1, 65_535) ?? 8000;
const backendPort = (i) => port + 101 + i;

const children = [];
function start(name, entry, env, nodeFlags = []) {
  const child = spawn(process.execPath, [...nodeFlags, entry], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push({ name, child });
  let log = '';
  child.stdout.on('data', (chunk) => (log = (log + chunk).slice(-4000)));
  child.stderr.on('data', (chunk) => (log = (log + chunk).slice(-4000)));
  child.on('exit', (code) => {
    if (!stopping) fail(`${name} exited early (code ${code}):\n${log}`);
  });
  return child;
}

BACKENDS.forEach((backend, i) =>
  start(`backend ${backend.id}`, 'apps/backend/dist/main.js', {
    SERVER_ID: backend.id,
    SIMULATED_DELAY: backend.delay,
    HOST: '127.0.0.1',
    PORT: String(backendPort(i)),
    METRICS_PORT: String(metricsPort + 101 + i),
  }),
);
start(
  'balancer',
  'apps/balancer/dist/main.js',
  {
    BACKEND_SERVERS: BACKENDS.map((b, i) => `127.0.0.1:${backendPort(i)}@${b.weight}`).join(','),
    HOST: '127.0.0.1',
    METRICS_HOST: '127.0.0.1',
    PORT: String(port),
    METRICS_PORT: String(metricsPort),
    LOG_LEVEL: 'warn',
  },
  JSON.parse(readFileSync(new URL('../apps/balancer/node-flags.json', import.meta.url), 'utf8')),
);

const base = `http://127.0.0.1:${port}`;
const admin = `http://127.0.0.1:${metricsPort}`;
async function waitReady() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${admin}/readyz`)).ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  fail(`the balancer did not become ready on ${admin}/readyz`);
}
await waitReady();

process.stdout.write(
  [
    `balancer  ${base}/            (?algo=round_robin|weighted_round_robin|least_connections|ip_hash|random|p2c|peak_ewma|adaptive)`,
    `status    ${admin}/            (live status page: backends, algorithms, charts)`,
    `admin     ${admin}/metrics  /backends  /healthz  /readyz`,
    `backends  ${BACKENDS.map((b, i) => `${b.id} :${backendPort(i)} weight ${b.weight} delay ${b.delay} ms`).join('; ')}`,
    load > 0 ? `load      ${load} requests/s from this script` : `load      none: try  wrk -c16 -d30s ${base}/  or  curl ${base}/?algo=p2c`,
    'Ctrl-C stops everything.',
    '',
  ].join('\n'),
);

let timer;
if (load > 0) {
  // Open loop at a fixed rate, bounded per tick: traffic only to our own balancer.
  timer = setInterval(() => {
    for (let i = 0; i < Math.ceil(load / 10); i++)
      fetch(`${base}/`)
        .then((r) => r.arrayBuffer())
        .catch(() => {});
  }, 100);
}

let previous;
let previousAt = performance.now();
const interactive = process.stdout.isTTY;
const status = setInterval(async () => {
  try {
    const { backends, panic, workers } = await (await fetch(`${admin}/backends`)).json();
    const now = performance.now();
    const total = backends.reduce((sum, b) => sum + b.counters.requests, 0);
    const delta = backends.map((b, i) => b.counters.requests - (previous?.[i] ?? b.counters.requests));
    const sum = delta.reduce((a, b) => a + b, 0);
    const rps = previous === undefined ? 0 : (sum / (now - previousAt)) * 1000;
    const shares = backends
      .map((b, i) => `${BACKENDS[i]?.id ?? b.id} ${sum > 0 ? ((100 * delta[i]) / sum).toFixed(0) : '0'}% ${b.healthy ? 'up' : 'DOWN'}`)
      .join(' | ');
    const line = `${rps.toFixed(0).padStart(5)} req/s  total ${total}  ${shares}  ${workers} worker${workers === 1 ? '' : 's'}${panic ? '  PANIC' : ''}`;
    process.stdout.write(interactive ? `\r${line.padEnd(100)}` : `${line}\n`);
    previous = backends.map((b) => b.counters.requests);
    previousAt = now;
  } catch {}
}, 1000);

async function stop() {
  if (stopping) return;
  stopping = true;
  clearInterval(status);
  clearInterval(timer);
  process.stdout.write('\nstopping...\n');
  const balancer = children.at(-1);
  balancer.child.kill('SIGTERM'); // the balancer first, so it stops sending to backends that are going away
  if (balancer.child.exitCode === null) await once(balancer.child, 'exit');
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(children.map(({ child }) => (child.exitCode === null ? once(child, 'exit') : undefined)));
  process.stdout.write('stopped.\n');
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
if (seconds !== undefined) setTimeout(stop, seconds * 1000);
