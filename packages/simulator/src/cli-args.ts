import { parseArgs } from 'node:util';
import { DEFAULT_REQUESTS, isScenarioName, SCENARIO_NAMES, type ScenarioName } from './scenarios.js';

/** Bounds of `--requests`: below 100 a p99 means nothing; above 10 million a run takes minutes per policy. */
export const MIN_REQUESTS = 100;
export const MAX_REQUESTS = 10_000_000;
export const DEFAULT_SEED = 1;

export const USAGE = `Usage: lbpoc-sim [scenario...] [--seed N] [--requests N] [--algorithm-module PATH]...

Runs every algorithm of @lbpoc/algorithms, each algorithm plugin given, and the JSQ oracle
on each scenario and prints a comparison table. With no scenario, runs them all.

Scenarios: ${SCENARIO_NAMES.join(', ')}
Options:
  --seed N                    integer from 0 to 4294967295 (default ${DEFAULT_SEED}); same seed, same output
  --requests N                requests per policy run, integer from ${MIN_REQUESTS} to ${MAX_REQUESTS} (default ${DEFAULT_REQUESTS})
  --algorithm-module PATH     an algorithm plugin module to run beside the built-in algorithms
                              (repeatable): ./path or ../path from the working directory, an
                              absolute path, a file: URL, or a package name
  -h, --help                  print this help
`;

/** A command line that cannot be run; its message names the bad value and what is allowed. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'ERR_USAGE';
}

export interface CliOptions {
  readonly help: boolean;
  readonly scenarios: readonly ScenarioName[];
  readonly seed: number;
  readonly requests: number;
  /** `--algorithm-module` values, in order, as given (loaded by `runCli`). */
  readonly algorithmModules: readonly string[];
}

/** Parses and validates the CLI's arguments (without node and the script). @throws UsageError */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        seed: { type: 'string' },
        requests: { type: 'string' },
        'algorithm-module': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // node:util reports unknown options and missing values as TypeErrors with ERR_PARSE_ARGS_* codes.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(`${(error as Error).message}\nvalid options: --seed N, --requests N, --algorithm-module PATH, --help`);
    }
    throw error;
  }
  const { values, positionals } = parsed;
  const scenarios: ScenarioName[] = [];
  for (const name of positionals) {
    if (!isScenarioName(name)) {
      throw new UsageError(`unknown scenario ${JSON.stringify(name)}; valid scenarios: ${SCENARIO_NAMES.join(', ')}`);
    }
    if (!scenarios.includes(name)) scenarios.push(name);
  }
  return {
    help: values.help === true,
    scenarios: scenarios.length > 0 ? scenarios : SCENARIO_NAMES,
    seed: values.seed === undefined ? DEFAULT_SEED : integerOption('--seed', values.seed, 0, 2 ** 32 - 1),
    requests: values.requests === undefined ? DEFAULT_REQUESTS : integerOption('--requests', values.requests, MIN_REQUESTS, MAX_REQUESTS),
    algorithmModules: algorithmModules(values['algorithm-module'] ?? []),
  };
}

/** The module specifiers, none empty; a module named twice would only clash with itself, so it is refused here. */
function algorithmModules(values: readonly string[]): string[] {
  for (const [index, value] of values.entries()) {
    if (value.trim() === '') throw new UsageError('--algorithm-module needs a module: a ./path, an absolute path, a file: URL or a package name');
    if (values.indexOf(value) !== index) throw new UsageError(`--algorithm-module ${JSON.stringify(value)} is given twice; name each module once`);
  }
  return [...values];
}

/** A decimal integer in [min, max] (underscores allowed as separators, as in 100_000). */
function integerOption(option: string, text: string, min: number, max: number): number {
  const value = /^\d[\d_]*$/.test(text) ? Number(text.replaceAll('_', '')) : Number.NaN;
  if (!(Number.isSafeInteger(value) && value >= min && value <= max)) {
    throw new UsageError(`${option} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}
