// An open-loop load generator: requests are sent on schedule whether or not earlier ones
// have answered (a closed loop would slow down with the server and hide trouble). Every
// request is accounted for: a status, or the error that replaced it.
import { Agent, request } from 'node:http';
import { ALGORITHM_NAMES } from '../../packages/algorithms/dist/index.js';

// Every wire name, from the built package (`pnpm soak` builds it with the balancer).
const ALGORITHMS = ALGORITHM_NAMES;
const TICK_MS = 10;
const REQUEST_TIMEOUT_MS = 15_000;

export function createLoad(baseUrl) {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const stats = { sent: 0, ok: 0, failed: 0, failures: new Map(), latenciesMs: [], burstLatenciesMs: [], inFlight: 0 };
  let rate = 0;
  let inBurst = false;
  let due = 0;
  let last = performance.now();
  let sequence = 0;

  function fail(reason) {
    stats.failed++;
    stats.failures.set(reason, (stats.failures.get(reason) ?? 0) + 1);
  }

  function send() {
    const path = `/?algo=${ALGORITHMS[sequence++ % ALGORITHMS.length]}`;
    const started = performance.now();
    const burst = inBurst;
    stats.sent++;
    stats.inFlight++;
    let settled = false;
    const done = (reason) => {
      if (settled) return;
      settled = true;
      stats.inFlight--;
      if (reason !== undefined) return fail(reason);
      stats.ok++;
      const ms = performance.now() - started;
      stats.latenciesMs.push(ms);
      if (burst) stats.burstLatenciesMs.push(ms);
    };
    const req = request({ host: url.hostname, port: url.port, path, agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode === 200 ? undefined : `http_${res.statusCode}`));
      res.on('error', (error) => done(`response_${error.code ?? error.message}`));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'CLIENT_TIMEOUT' })));
    req.on('error', (error) => done(`request_${error.code ?? error.message}`));
    req.end();
  }

  const timer = setInterval(() => {
    const now = performance.now();
    due += ((now - last) / 1000) * rate;
    last = now;
    while (due >= 1) {
      due -= 1;
      send();
    }
  }, TICK_MS);

  return {
    stats,
    setRate(next, burst = false) {
      rate = next;
      inBurst = burst;
    },
    async stop() {
      clearInterval(timer);
      const deadline = Date.now() + REQUEST_TIMEOUT_MS + 1000;
      while (stats.inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      agent.destroy();
    },
  };
}

export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
