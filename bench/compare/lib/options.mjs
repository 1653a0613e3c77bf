import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ALGORITHM_NAMES } from '@lbpoc/algorithms';

/** The wire names the balancer accepts in ?algo= (`ALGORITHM_NAMES` of @lbpoc/algorithms). */
export const ALGORITHMS = ALGORITHM_NAMES;

/**
 * The slowed scenario's algorithms by default: ip_hash is left out (one client address, one
 * hash: it measures a backend, not balancing), and so is weighted_round_robin (every weight
 * is 1 there: it is round_robin).
 */
export const SLOWED_ALGORITHMS = ['round_robin', 'random', 'least_connections', 'p2c', 'peak_ewma', 'adaptive', 'prequal', 'dynamic_weights'];

export const SCENARIOS = ['demo', 'slowed'];

/** What each scenario runs unless the command line says otherwise. */
const DEFAULTS = {
  demo: { requests: 3000, rate: 150, repeat: 1, warmup: 0, slowAt: 0, algorithms: ALGORITHMS },
  slowed: { requests: 700, rate: 100, repeat: 3, warmup: 2, slowAt: 3, algorithms: SLOWED_ALGORITHMS },
};

export const USAGE = `usage: pnpm compare [-- options]
  --scenario <name>       demo (default): the demo setup, one slow backend, one balancer;
                          slowed: two balancers, queueing backends, one slowed mid-run,
                          measured beside the simulator's prediction (comparison-slowed.md)
  --target <url>          a running balancer (demo scenario only; default: start the setup on 127.0.0.1)
  --requests <n>          requests per algorithm and repetition, warm-up included (default 3000; slowed 700)
  --rate <n>              requests per second, open loop, the same for every algorithm (default 150; slowed 100)
  --repeat <n>            repetitions, interleaved: A,B,C,A,B,C,... (default 1; slowed 3)
  --concurrency <n>       cap on requests in flight, a safety net: a send that finds it full waits and is counted (default 1000)
  --warmup <s>            seconds at the start of each run left out of the figures (default 0; slowed 2)
  --slow-at <s>           slowed: when in each run the backend is slowed, seconds from its start (default 3)
  --sim-seeds <n>         slowed: simulator runs per algorithm for the prediction (default 20)
  --algorithms <a,b,...>  which, in this order (default: all ten; slowed: ${SLOWED_ALGORITHMS.length}, see README);
                          may name the plugins of --algorithm-module
  --algorithm-module <path>
                          an algorithm plugin module (repeatable): its algorithm joins the ones
                          compared (after them, unless --algorithms places it), the balancers
                          load it (ALGORITHM_MODULES) and the slowed prediction runs it; a path
                          from where you run pnpm compare, or absolute
  --out <dir>             where the report and chart go (default reports)`;

function integer(name, value, min, max, fallback) {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) throw new Error(`--${name} ${JSON.stringify(value)} must be an integer from ${min} to ${max}`);
  return number;
}

/**
 * `--algorithm-module` values as absolute file paths, so that the balancer processes load
 * them whatever their working directory. They go to ALGORITHM_MODULES, which separates
 * modules by commas, so a path cannot hold one.
 */
function modulePaths(values, cwd) {
  return values.map((value) => {
    if (value.trim() === '') throw new Error('--algorithm-module needs a path to an algorithm module (./my-algorithm.mjs, /opt/lb/algo.ts)');
    const path = value.startsWith('file:') ? fileURLToPath(value) : isAbsolute(value) ? value : resolve(cwd, value);
    if (path.includes(','))
      throw new Error(`--algorithm-module ${JSON.stringify(value)}: the path cannot contain a comma (ALGORITHM_MODULES separates modules with commas)`);
    return path;
  });
}

/**
 * Parses and checks the command line; throws an Error whose message says what is wrong.
 * With `--algorithm-module`, `--algorithms` may name algorithms no built-in has: they are
 * checked against the plugins' names once the modules are loaded (`withPlugins`).
 * @param {string[]} argv
 * @param {{ cwd?: string }} [where] where relative module paths start (default: where the command was typed)
 */
export function parseOptions(argv, { cwd = process.env.INIT_CWD ?? process.cwd() } = {}) {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string' },
      target: { type: 'string' },
      requests: { type: 'string' },
      rate: { type: 'string' },
      repeat: { type: 'string' },
      concurrency: { type: 'string' },
      warmup: { type: 'string' },
      'slow-at': { type: 'string' },
      'sim-seeds': { type: 'string' },
      algorithms: { type: 'string' },
      'algorithm-module': { type: 'string', multiple: true },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  const scenario = values.scenario ?? 'demo';
  if (!SCENARIOS.includes(scenario)) throw new Error(`--scenario ${JSON.stringify(scenario)}: choose from ${SCENARIOS.join(', ')}`);
  const defaults = DEFAULTS[scenario];
  const algorithmModules = modulePaths(values['algorithm-module'] ?? [], cwd);
  if (new Set(algorithmModules).size !== algorithmModules.length) throw new Error(`--algorithm-module: each module once, got ${algorithmModules.join(', ')}`);
  const algorithms = values.algorithms === undefined ? defaults.algorithms : values.algorithms.split(',').filter(Boolean);
  // Names that may be plugins' wait for the modules to load (withPlugins); without modules they are plain mistakes.
  const unknown = algorithmModules.length > 0 ? [] : algorithms.filter((a) => !ALGORITHMS.includes(a));
  if (unknown.length > 0 || algorithms.length === 0) throw new Error(`--algorithms: unknown ${JSON.stringify(unknown)}; choose from ${ALGORITHMS.join(', ')}`);
  if (new Set(algorithms).size !== algorithms.length) throw new Error(`--algorithms: each name once, got ${algorithms.join(',')}`);
  if (values.target !== undefined && !/^https?:\/\//.test(values.target))
    throw new Error(`--target ${JSON.stringify(values.target)} must be an http:// or https:// URL`);
  if (values.target !== undefined && scenario !== 'demo')
    throw new Error(`--target works with --scenario demo only: ${scenario} restarts a backend mid-run, so it starts its own setup`);
  const parsed = {
    help: values.help === true,
    scenario,
    target: values.target,
    requests: integer('requests', values.requests, 10, 1_000_000, defaults.requests),
    rate: integer('rate', values.rate, 1, 5000, defaults.rate),
    repeat: integer('repeat', values.repeat, 1, 100, defaults.repeat),
    concurrency: integer('concurrency', values.concurrency, 1, 10_000, 1000),
    warmup: integer('warmup', values.warmup, 0, 3600, defaults.warmup),
    slowAt: integer('slow-at', values['slow-at'], 0, 3600, defaults.slowAt),
    simSeeds: integer('sim-seeds', values['sim-seeds'], 1, 1000, 20),
    algorithms,
    algorithmModules,
    out: values.out ?? 'reports',
  };
  if (parsed.warmup >= parsed.requests / parsed.rate)
    throw new Error(`--warmup ${parsed.warmup} s must be shorter than a run (${parsed.requests / parsed.rate} s)`);
  return parsed;
}
