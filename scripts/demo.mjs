#!/usr/bin/env node
/**
 * The main job with no Docker: three demo backends with different delays and weights,
 * the balancer in front of them on 127.0.0.1:5000 (metrics and admin on :8000), and a
 * live status line. Ctrl-C stops everything cleanly.
 *
 *   pnpm demo                      # then: curl 'http://127.0.0.1:5000/?algo=round_robin'
 *   pnpm demo --load 50            # also send 50 requests/s of its own
 *   pnpm demo --for 10 --port 5500 --metrics-port 8500
 *   pnpm demo --port 0 --metrics-port 0   # any free ports (the backends' too), as its test runs it
 *
 * The backends listen next to the balancer's ports (5101-5103, metrics 8101-8103) unless
 * those are 0. The processes are started and stopped by test-support/local-stack.js.
 */
import { parseArgs } from 'node:util';
import { BALANCER_NODE_FLAGS, DEMO_BACKENDS, startLocalStack } from '../test-support/local-stack.js';

// Declared before any child starts: a child that exits early reads it.
let stopping = false;

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
const port = intOption('port', args.port, 0, 65_535) ?? 5000;
const metricsPort = intOption('metrics-port', args['metrics-port'], 0, 65_535) ?? 8000;
const nextTo = (base) => (base === 0 ? undefined : DEMO_BACKENDS.map((_, i) => base + 101 + i));

let stack;
try {
  stack = await startLocalStack({
    // The user's environment reaches every process; the balancer logs at warn.
    env: process.env,
    balancerEnv: { LOG_LEVEL: 'warn' },
    nodeFlags: BALANCER_NODE_FLAGS,
    ports: { balancer: port || undefined, metrics: metricsPort || undefined, backends: nextTo(port), backendMetrics: nextTo(metricsPort) },
  });
} catch (error) {
  fail(error.message);
}
for (const child of [stack.balancer.child, ...stack.backends.map((b) => b.child)])
  child.exit.then(({ code }) => {
    if (!stopping) fail(`${child.name} exited early (code ${code}):\n${child.log.slice(-4000)}`);
  });

const base = stack.balancer.url;
const admin = stack.balancer.adminUrl;
process.stdout.write(
  [
    `balancer  ${base}/            (?algo=round_robin|weighted_round_robin|least_connections|ip_hash|random|p2c|peak_ewma|adaptive)`,
    `status    ${admin}/            (live status page: backends, algorithms, charts)`,
    `admin     ${admin}/metrics  /backends  /healthz  /readyz`,
    `backends  ${stack.backends.map((b) => `${b.id} :${b.port} weight ${b.weight} delay ${b.spec.delay} ms`).join('; ')}`,
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
      .map((b, i) => `${stack.backends[i]?.id ?? b.id} ${sum > 0 ? ((100 * delta[i]) / sum).toFixed(0) : '0'}% ${b.healthy ? 'up' : 'DOWN'}`)
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
  await stack.stop(); // the balancer first, so it stops sending to backends that are going away
  process.stdout.write('stopped.\n');
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
if (seconds !== undefined) setTimeout(stop, seconds * 1000);
