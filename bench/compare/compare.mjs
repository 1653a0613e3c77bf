#!/usr/bin/env node
/**
 * pnpm compare: the same bounded, open-loop load through the balancer with each algorithm
 * in turn, repeated and interleaved (A, B, C, A, B, C, ...), written up as a table and a chart.
 *
 *   pnpm compare                                   # the demo setup (one slow backend): comparison.md / .svg
 *   pnpm compare -- --scenario slowed              # two balancers, a backend slowed mid-run, beside
 *                                                  # the simulator: comparison-slowed.md / .svg
 *   pnpm compare -- --target http://127.0.0.1:5000/ --requests 1000
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEMO_BACKENDS, startLocalStack } from '../../test-support/local-stack.js';
import { runLoad } from './lib/load.mjs';
import { parseOptions, USAGE } from './lib/options.mjs';
import { loadPlugins, pluginEnv, withPlugins } from './lib/plugins.mjs';
import { compareRankings } from './lib/ranking.mjs';
import { markdownReport } from './lib/report-md.mjs';
import { slowedReport } from './lib/report-slowed.mjs';
import { svgReport } from './lib/report-svg.mjs';
import { interleave } from './lib/schedule.mjs';
import { capacity, MODEL_DIFFERENCES, predict, SLOWED_DEFAULTS, simulatorModel, slowedSpecs, startSlowedStack } from './lib/slowed.mjs';
import { afterWarmup, summarizeRepetitions } from './lib/stats.mjs';

let options;
try {
  options = parseOptions(process.argv.slice(2).filter((arg) => arg !== '--'));
} catch (error) {
  process.stderr.write(`compare: ${error.message}\n${USAGE}\n`);
  process.exit(2);
}
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
// Plugins load here, before anything starts: a bad module is the command line's mistake.
let plugins;
try {
  plugins = await loadPlugins(options.algorithmModules);
  options = withPlugins(options, plugins);
} catch (error) {
  process.stderr.write(`compare: ${error.message}\n${USAGE}\n`);
  process.exit(2);
}
const balancerPluginEnv = pluginEnv(options.algorithmModules);

// pnpm runs root scripts from the repository root; a relative --out is taken from where
// the command was typed (INIT_CWD), as a user expects.
const outDir = resolve(process.env.INIT_CWD ?? process.cwd(), options.out);
const began = performance.now();
const order = interleave(options.algorithms, options.repeat);
// A bound on each run even if the target stalls: twice the planned time, plus 10 s.
const maxSeconds = (options.requests / options.rate) * 2 + 10;
const line = (algorithm, repetition, run) => {
  const s = summarizeRepetitions({ algorithm, runs: [run] });
  return `${algorithm.padEnd(18)} #${repetition}  ${s.rps.toFixed(1).padStart(6)} req/s  p50 ${s.p50.toFixed(1).padStart(6)}  p99 ${s.p99.toFixed(1).padStart(7)} ms  errors ${s.errors}  late ${s.late}\n`;
};

/** Runs `order`, calling `before(i)` ahead of run i; returns each algorithm's runs. */
async function runAll(targets, before, events) {
  const runs = Object.fromEntries(options.algorithms.map((a) => [a, []]));
  for (const [i, { algorithm, repetition }] of order.entries()) {
    await before(i);
    const run = await runLoad(targets(), algorithm, {
      requests: options.requests,
      rate: options.rate,
      concurrency: options.concurrency,
      maxSeconds,
      events: events(),
    });
    runs[algorithm].push(afterWarmup(run, options.warmup));
    process.stdout.write(line(algorithm, repetition, afterWarmup(run, options.warmup)));
  }
  return runs;
}

const elapsed = () => {
  const seconds = Math.round((performance.now() - began) / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
};
const generated = new Date().toISOString().slice(0, 10);
const openLoopText = `open loop: request i is due at i/rate s and sent then, whatever is in flight; a cap of ${options.concurrency} in flight is only a safety net, and late sends are counted`;
const repeatText =
  options.repeat > 1
    ? `${options.repeat} repetitions, interleaved (${options.algorithms.slice(0, 3).join(', ')}, ... then again), pooled per algorithm`
    : 'one repetition';
mkdirSync(outDir, { recursive: true });

if (options.scenario === 'demo') {
  // The demo setup on free ports of 127.0.0.1. All the load comes from this one address: no per-client connection cap.
  const setup = options.target
    ? undefined
    : await startLocalStack({ backends: DEMO_BACKENDS, balancerEnv: { MAX_CONNECTIONS_PER_CLIENT: '0', ...balancerPluginEnv } });
  const target = options.target ?? `${setup.balancer.url}/`;
  const backendNames = Object.fromEntries((setup?.backends ?? []).map((b) => [b.address, b.id]));
  process.on('SIGINT', () => (setup?.stop() ?? Promise.resolve()).then(() => process.exit(130)));
  let runs;
  try {
    // Let the last slow answers drain so the next run starts from an idle balancer.
    runs = await runAll(
      () => target,
      (i) => (i > 0 ? new Promise((done) => setTimeout(done, 1000)) : undefined),
      () => [],
    );
  } finally {
    await setup?.stop();
  }
  const summaries = options.algorithms.map((algorithm, i) => summarizeRepetitions({ algorithm, runs: runs[algorithm], seed: i + 1 }));
  const setupText = options.target
    ? `the balancer at ${options.target}`
    : `the demo setup on 127.0.0.1 (scripts/demo.mjs): ${DEMO_BACKENDS.map((b) => `${b.id} (SIMULATED_DELAY ${b.delay} ms, weight ${b.weight})`).join(', ')}, the balancer in front`;
  const loadText = `${options.requests} GET requests per algorithm and repetition at ${options.rate} requests/s (${openLoopText}), ${repeatText}, algorithms via ?algo=`;
  writeFileSync(`${outDir}/comparison.md`, markdownReport({ summaries, setup: setupText, load: loadText, generated, backendNames }));
  writeFileSync(`${outDir}/comparison.svg`, svgReport(summaries));
  process.stdout.write(`wrote ${outDir}/comparison.md and ${outDir}/comparison.svg (${elapsed()})\n`);
} else {
  let simulator;
  try {
    simulator = await import('@lbpoc/simulator');
  } catch (error) {
    process.stderr.write(`compare: the slowed scenario needs the built simulator: run  pnpm --filter @lbpoc/simulator build  (${error.message})\n`);
    process.exit(1);
  }
  const scenario = SLOWED_DEFAULTS;
  const model = simulatorModel({ scenario, rate: options.rate, requests: options.requests, slowAt: options.slowAt, warmup: options.warmup });
  // The simulator runs a plugin's own code, as the balancers do.
  const policies = options.algorithms.map((name) => plugins.find((plugin) => plugin.name === name) ?? name);
  const predictions = predict(simulator, model, policies, { seeds: options.simSeeds });
  process.stdout.write(
    `simulator: ${options.algorithms.map((a) => `${a} ${predictions[a].p99.toFixed(0)}`).join(', ')} ms p99 (median of ${options.simSeeds} seeds)\n`,
  );
  const stack = await startSlowedStack(scenario, { balancerEnv: balancerPluginEnv });
  process.on('SIGINT', () => stack.stop().then(() => process.exit(130)));
  const restarts = [];
  const backendNames = Object.fromEntries(stack.backends.map((b) => [b.address, b.id]));
  const slowedBackend = stack.backends.at(-1).address;
  let runs;
  try {
    runs = await runAll(
      () => stack.urls,
      (i) => (i > 0 ? stack.reset() : undefined),
      () => [{ at: options.slowAt, action: async () => restarts.push(await stack.slow()) }],
    );
  } finally {
    await stack.stop();
  }
  const summaries = options.algorithms.map((algorithm, i) => summarizeRepetitions({ algorithm, runs: runs[algorithm], seed: i + 1 }));
  const ranking = compareRankings(summaries.map((s) => ({ algorithm: s.algorithm, measured: s.p99, predicted: predictions[s.algorithm].p99, ci: s.ci })));
  const { normal, slowed } = slowedSpecs(scenario);
  const cap = capacity(scenario);
  const restartText = restarts.length > 0 ? `${Math.min(...restarts).toFixed(0)}–${Math.max(...restarts).toFixed(0)} ms` : 'n/a';
  const setup = [
    `${scenario.backends} backends (apps/backend) on 127.0.0.1: ${normal.map((b) => b.id).join(', ')}, each CONCURRENCY=${scenario.concurrency} (${scenario.concurrency} requests worked on at once, the rest queue) and SIMULATED_DELAY=${normal[0].delay} ms: ${cap.before.toFixed(0)} requests/s in all.`,
    `${scenario.balancers} balancer processes (apps/balancer, WORKERS=1 each: one thread and one view of the backends each, as the simulator's balancers) in front of all of them; the client alternates between them. EJECT_AFTER_CONNECT_FAILURES=0 (see the slowdown), MAX_CONNECTIONS_PER_CLIENT=0.`,
    `The slowdown, mid-run: ${options.slowAt} s into every run, ${slowed.id} is stopped (a graceful drain) and started again on the same ports with SIMULATED_DELAY=${slowed.delay} ms, ${scenario.slowFactor}x slower (a backend's delay is fixed at start, so a restart is how it is slowed; it took ${restartText}, during which the balancers retry refused connections on another backend). Capacity then: ${cap.after.toFixed(0)} requests/s.`,
    'Each run starts fresh: new balancer processes (no algorithm state carried over) and the slowed backend back at its normal delay.',
    `The simulator's model of it (\`@lbpoc/simulator\`): ${scenario.backends} servers of ${scenario.concurrency} slots, exponential service of mean ${scenario.meanMs} ms, the last at speed 1/${scenario.slowFactor} from ${options.slowAt * 1000} ms on; ${scenario.balancers} balancers, each its own view; Poisson arrivals at ${options.rate}/s; ${options.requests} requests, the first ${model.warmup} left out as warm-up; load reports on every response and a probe of each backend every 500 ms (the balancer's LOAD_PROBE_INTERVAL_MS) from balancers running a load-aware algorithm, answered in 1 ms at no cost (/load is never queued).`,
  ];
  const load = [
    `${options.requests} GET requests per algorithm and repetition at ${options.rate} requests/s (${openLoopText}): ${(options.rate / cap.before).toFixed(2)} of the capacity before the slowdown, ${(options.rate / cap.after).toFixed(2)} after.`,
    `The first ${options.warmup} s of every run (${Math.ceil(options.warmup * options.rate)} requests: fresh processes, cold connections and JIT) are left out of every figure, here and in the model; ${repeatText}: ${summaries[0].requests} measured requests per algorithm.`,
    'Latency is measured by the client, from when the request was due to the last byte of the answer.',
  ];
  writeFileSync(
    `${outDir}/comparison-slowed.md`,
    slowedReport({
      summaries,
      predictions,
      ranking,
      setup,
      load,
      generated,
      backendNames,
      slowedBackend,
      differences: MODEL_DIFFERENCES,
      oracle: simulator.ORACLE_NAME,
      runtime: `${elapsed()} in all`,
    }),
  );
  const chart = summaries.map((s) => ({ ...s, simP99: predictions[s.algorithm].p99 }));
  writeFileSync(
    `${outDir}/comparison-slowed.svg`,
    svgReport(chart, 'Slowed backend, two balancers: measured vs simulated (ms, lower is better)', [
      { key: 'p50', color: '#9ecae1', label: 'measured p50' },
      { key: 'p99', color: '#08519c', label: 'measured p99', valueLabel: true },
      { key: 'simP99', color: '#f16913', label: 'simulator p99', valueLabel: true },
    ]),
  );
  process.stdout.write(
    `rankings: Spearman ${ranking.rho.toFixed(2)}; measured ${ranking.measuredOrder.join(' < ')}; predicted ${ranking.predictedOrder.join(' < ')}\n`,
  );
  process.stdout.write(`wrote ${outDir}/comparison-slowed.md and ${outDir}/comparison-slowed.svg (${elapsed()})\n`);
}
