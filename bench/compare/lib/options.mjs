import { parseArgs } from 'node:util';

/** The wire names the balancer accepts in ?algo= (apps/balancer README). */
export const ALGORITHMS = ['round_robin', 'weighted_round_robin', 'least_connections', 'ip_hash', 'random', 'p2c', 'peak_ewma', 'adaptive'];

export const USAGE = `usage: pnpm compare [-- options]
  --target <url>          a running balancer (default: start the demo setup on 127.0.0.1)
  --requests <n>          requests per algorithm (default 3000)
  --rate <n>              requests per second, the same for every algorithm (default 150)
  --concurrency <n>       most requests in flight (default 64)
  --algorithms <a,b,...>  which, in this order (default: all eight)
  --out <dir>             where comparison.md and comparison.svg go (default reports)`;

function integer(name, value, min, max, fallback) {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) throw new Error(`--${name} ${JSON.stringify(value)} must be an integer from ${min} to ${max}`);
  return number;
}

/** Parses and checks the command line; throws an Error whose message says what is wrong. */
export function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      target: { type: 'string' },
      requests: { type: 'string' },
      rate: { type: 'string' },
      concurrency: { type: 'string' },
      algorithms: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  const algorithms = values.algorithms === undefined ? ALGORITHMS : values.algorithms.split(',').filter(Boolean);
  const unknown = algorithms.filter((a) => !ALGORITHMS.includes(a));
  if (unknown.length > 0 || algorithms.length === 0) throw new Error(`--algorithms: unknown ${JSON.stringify(unknown)}; choose from ${ALGORITHMS.join(', ')}`);
  if (values.target !== undefined && !/^https?:\/\//.test(values.target))
    throw new Error(`--target ${JSON.stringify(values.target)} must be an http:// or https:// URL`);
  return {
    help: values.help === true,
    target: values.target,
    requests: integer('requests', values.requests, 10, 1_000_000, 3000),
    rate: integer('rate', values.rate, 1, 5000, 150),
    concurrency: integer('concurrency', values.concurrency, 1, 1000, 64),
    algorithms,
    out: values.out ?? 'reports',
  };
}
