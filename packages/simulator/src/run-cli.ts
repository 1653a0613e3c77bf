import { parseCliArgs, USAGE, UsageError } from './cli-args.js';
import { renderReport } from './render-report.js';
import { runScenario } from './run-scenario.js';
import { createScenario } from './scenarios.js';

/** Where the CLI writes; `process.stdout` and `process.stderr` in real use, buffers in tests. */
export interface CliStreams {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/**
 * The CLI without the process: parses `argv`, runs the scenarios and prints each table as
 * soon as it is ready. Returns the exit code: 0, or 2 for a bad command line (message and
 * usage on stderr, no stack trace: the mistake is the caller's, not the program's).
 */
export function runCli(argv: readonly string[], streams: CliStreams): number {
  let options;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    streams.stderr.write(`lbpoc-sim: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    streams.stdout.write(USAGE);
    return 0;
  }
  options.scenarios.forEach((name, index) => {
    const report = runScenario(createScenario(name, { requests: options.requests }), { seed: options.seed });
    streams.stdout.write(`${index > 0 ? '\n' : ''}${renderReport(report)}\n`);
  });
  return 0;
}
