import { parseCliArgs, USAGE, UsageError } from './cli-args.js';
import { loadCliPlugins } from './load-plugins.js';
import { renderReport } from './render-report.js';
import { runScenario } from './run-scenario.js';
import { createScenario } from './scenarios.js';

/** Where the CLI writes; `process.stdout` and `process.stderr` in real use, buffers in tests. */
export interface CliStreams {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export interface CliEnvironment {
  /** Where relative `--algorithm-module` paths start; default `process.cwd()`. */
  readonly cwd?: string;
}

/**
 * The CLI without the process: parses `argv`, loads the algorithm modules, runs the
 * scenarios and prints each table as soon as it is ready. Resolves to the exit code: 0,
 * or 2 for a bad command line or a module that cannot be used (message and usage on
 * stderr, no stack trace: the mistake is the caller's, not the program's).
 */
export async function runCli(argv: readonly string[], streams: CliStreams, environment: CliEnvironment = {}): Promise<number> {
  let options;
  let plugins;
  try {
    options = parseCliArgs(argv);
    if (options.help) {
      streams.stdout.write(USAGE);
      return 0;
    }
    plugins = await loadCliPlugins(options.algorithmModules, environment.cwd ?? process.cwd());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    streams.stderr.write(`lbpoc-sim: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  options.scenarios.forEach((name, index) => {
    const report = runScenario(createScenario(name, { requests: options.requests }), { seed: options.seed, plugins });
    streams.stdout.write(`${index > 0 ? '\n' : ''}${renderReport(report)}\n`);
  });
  return 0;
}
