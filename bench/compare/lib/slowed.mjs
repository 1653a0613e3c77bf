/**
 * The `slowed` scenario (issue 15, point 4): two balancer processes in front of the same
 * queueing backends, one backend slowed in the middle of every run; and the simulator
 * model of the same setup, whose prediction the report puts beside the measurement.
 *
 * Real setup, per run (each run starts fresh, so no algorithm carries state from one run
 * to the next, as in the simulator):
 * - `backends` backends (apps/backend) with CONCURRENCY=`concurrency` (that many requests
 *   worked on at once, the rest queue in arrival order) and SIMULATED_DELAY=exp:`meanMs`;
 * - `balancers` balancer processes (WORKERS=1 each: one thread, one view of the backends),
 *   in front of all of them; request i goes to balancer i mod `balancers`;
 * - at `slowAt` seconds, the last backend is stopped (a graceful drain) and started again
 *   on the same ports with SIMULATED_DELAY=exp:`meanMs x slowFactor`: a restart, since a
 *   backend's delay is fixed at start. The restart takes a few hundred ms, during which
 *   the balancers retry refused connections on another backend (passive ejection on
 *   connect failures is off, EJECT_AFTER_CONNECT_FAILURES=0, so the restart does not
 *   take the slowed backend out of rotation for 5 s, which would hide what is measured).
 */
import { startBackend, startBalancer } from '../../../test-support/local-stack.js';

export const SLOWED_DEFAULTS = Object.freeze({
  backends: 3,
  concurrency: 2,
  meanMs: 30,
  slowFactor: 3,
  balancers: 2,
});

export const BALANCER_ENV = Object.freeze({ WORKERS: '1', MAX_CONNECTIONS_PER_CLIENT: '0', EJECT_AFTER_CONNECT_FAILURES: '0', EJECT_AFTER_5XX: '0' });

/** The backend specs: normal, and the last one as it is after the slowdown. */
export function slowedSpecs(scenario = SLOWED_DEFAULTS) {
  const normal = Array.from({ length: scenario.backends }, (_, i) => ({ id: `backend-${i + 1}`, delay: `exp:${scenario.meanMs}`, weight: 1 }));
  const slowed = { ...normal.at(-1), delay: `exp:${scenario.meanMs * scenario.slowFactor}` };
  return { normal, slowed };
}

/** Requests per second the backends can complete: slots / mean delay, before and after the slowdown. */
export function capacity(scenario = SLOWED_DEFAULTS) {
  const perBackend = (scenario.concurrency * 1000) / scenario.meanMs;
  return { before: perBackend * scenario.backends, after: perBackend * (scenario.backends - 1) + perBackend / scenario.slowFactor };
}

/**
 * The simulator's model of the real setup (time in ms): the same backends, slots and
 * exponential delays, the last one at 1 / slowFactor speed from `slowAt` on, `balancers`
 * balancers each with its own view, backends reporting on every response and probed every
 * 500 ms (the balancer's LOAD_PROBE_INTERVAL_MS) by balancers running a load-aware
 * algorithm, one client address, and the requests of the first `warmup` seconds left out,
 * as the real run leaves them out.
 * What it cannot mirror: see `MODEL_DIFFERENCES`.
 */
export function simulatorModel({ scenario = SLOWED_DEFAULTS, rate, requests, slowAt, warmup = 0 }) {
  const servers = Array.from({ length: scenario.backends }, (_, i) => ({
    id: `backend-${i + 1}`,
    weight: 1,
    speed: 1,
    concurrency: scenario.concurrency,
    ...(i === scenario.backends - 1 ? { capacityChanges: [{ at: slowAt * 1000, speed: 1 / scenario.slowFactor }] } : {}),
  }));
  return {
    servers,
    service: { kind: 'exponential', mean: scenario.meanMs },
    arrivals: { kind: 'poisson', rate: rate / 1000 },
    clients: { count: 1, distribution: 'uniform' },
    requests,
    warmup: Math.min(requests - 1, Math.ceil(warmup * rate)),
    balancers: scenario.balancers,
    reporting: { onResponse: true, probeInterval: 500, probeDelay: 1, probeCost: 0 },
  };
}

export const MODEL_DIFFERENCES = [
  'Arrivals: the real load is a constant rate (one request every 1/rate s); the model draws Poisson arrivals at the same mean rate (the only steady process the simulator has), which are burstier, so its absolute latencies run higher.',
  'The slowdown: in the model the backend changes speed in an instant; the real backend is restarted, so for a few hundred ms (over a second on a busy machine) it refuses connections, the balancers retry those requests elsewhere, and it comes back with an empty queue. So every algorithm, round robin included, sends the slowed backend a few points less in the real run than in the model.',
  'Noise: the machine is shared (other jobs, containers) and the real p99 of 500 requests per run moves by tens of percent from one repetition to the next; the model’s seeds move it as much. Two algorithms whose model p99s are within each other’s seed range are not firmly ordered by the model either.',
  'Balancers: the model sends each request to a balancer drawn at random; the real client alternates between the two.',
  'Time: the model counts only queueing and service at the backends; the real figures add the client, the balancer and the network stack on a shared 2-core machine (a few ms, more when the machine is busy), and real timers.',
];

/**
 * The simulator's prediction for each algorithm: `seeds` runs of the model (seeds 1..n),
 * the median of their p99s and the range of the middle 95%, and the mean share of the
 * slowed backend. The JSQ oracle is added as a reference. `algorithms` holds wire names or
 * algorithm plugins (the model then runs the plugin's own code); the result is keyed by name.
 */
export function predict(simulator, model, algorithms, { seeds = 20 } = {}) {
  const policies = [...algorithms, simulator.ORACLE_NAME];
  const nameOf = (policy) => (typeof policy === 'object' ? policy.name : policy);
  const medianOf = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) / 2)];
  };
  return Object.fromEntries(
    policies.map((policy) => {
      const runs = Array.from({ length: seeds }, (_, i) => simulator.simulate(model, policy, { seed: i + 1 }));
      const p99s = runs.map((r) => r.latency.p99).sort((a, b) => a - b);
      return [
        nameOf(policy),
        {
          p99: medianOf(p99s),
          p99Low: p99s[Math.floor(0.025 * (seeds - 1))],
          p99High: p99s[Math.ceil(0.975 * (seeds - 1))],
          p50: medianOf(runs.map((r) => r.latency.p50)),
          slowedShare: runs.reduce((sum, r) => sum + r.shares.at(-1), 0) / seeds,
          seeds,
        },
      ];
    }),
  );
}

/**
 * The real setup: backends, then `balancers` balancers in front of them. `slow()` restarts
 * the last backend slowed; `reset()` gives the next run a fresh start (new balancers, the
 * backend at its normal delay again); `stop()` ends everything.
 */
export async function startSlowedStack(scenario = SLOWED_DEFAULTS, { readyTimeoutMs, balancerEnv } = {}) {
  const { normal, slowed } = slowedSpecs(scenario);
  const backendEnv = { CONCURRENCY: String(scenario.concurrency) };
  const started = await Promise.allSettled(normal.map((spec) => startBackend(spec, { env: backendEnv, readyTimeoutMs })));
  const backends = started.filter((r) => r.status === 'fulfilled').map((r) => r.value);
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all(backends.map((b) => b.child.stop()));
    throw failed.reason;
  }
  const servers = backends.map((b) => `${b.address}@1`).join(',');
  const startBalancers = async () => {
    const results = await Promise.allSettled(
      Array.from({ length: scenario.balancers }, () => startBalancer(servers, { env: { ...BALANCER_ENV, ...balancerEnv }, readyTimeoutMs })),
    );
    const up = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    const down = results.find((r) => r.status === 'rejected');
    if (down) {
      await Promise.all(up.map((b) => b.child.stop()));
      throw down.reason;
    }
    return up;
  };
  const last = backends.length - 1;
  const restartLast = async (spec) => {
    const old = backends[last];
    await old.child.stop();
    backends[last] = await startBackend(spec, { port: old.port, metricsPort: old.metricsPort, env: backendEnv, readyTimeoutMs });
  };
  let balancers = [];
  let isSlowed = false;
  const stack = {
    backends,
    get balancers() {
      return balancers;
    },
    get urls() {
      return balancers.map((b) => `${b.url}/`);
    },
    async slow() {
      const begun = performance.now();
      await restartLast(slowed);
      isSlowed = true;
      return performance.now() - begun;
    },
    async reset() {
      await Promise.all(balancers.map((b) => b.child.stop()));
      balancers = [];
      if (isSlowed) await restartLast(normal.at(-1));
      isSlowed = false;
      balancers = await startBalancers();
    },
    async stop() {
      await Promise.all(balancers.map((b) => b.child.stop()));
      await Promise.all(backends.map((b) => b.child.stop()));
    },
  };
  try {
    balancers = await startBalancers();
  } catch (error) {
    await Promise.all(backends.map((b) => b.child.stop()));
    throw error;
  }
  return stack;
}
