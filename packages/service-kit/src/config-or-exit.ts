import { ConfigError } from './config-error.js';

/** Where the messages go and how the process ends: the process itself, unless a test passes its own. */
export interface ConfigExitTarget {
  readonly stderr: { write(text: string): unknown };
  exit(code: number): never;
}

/** The exit code of a process that refused its configuration (a usage error, as in sysexits' spirit and the shells' `2`). */
export const CONFIG_EXIT_CODE = 2;

/**
 * An app's configuration, or the end of the process. Runs `load` with a `warn` that prints
 * each warning (a deprecated variable) as `<service>: warning: <message>` on stderr; on a
 * `ConfigError`, prints `<service>: invalid configuration` and one line per bad variable
 * (no stack trace: the fix is the person's, not the code's) and exits 2. Any other error
 * is a bug and is thrown.
 */
export function configOrExit<T>(service: string, load: (warn: (message: string) => void) => T, target: ConfigExitTarget = process): T {
  try {
    return load((message) => target.stderr.write(`${service}: warning: ${message}\n`));
  } catch (error) {
    return exitOnConfigError(service, error, target);
  }
}

/**
 * The end of a start that found its configuration wrong after reading it (a module it
 * names cannot be loaded): a `ConfigError` is printed and exits 2 as in `configOrExit`;
 * any other error is thrown.
 */
export function exitOnConfigError(service: string, error: unknown, target: ConfigExitTarget = process): never {
  if (!(error instanceof ConfigError)) throw error;
  target.stderr.write(`${service}: invalid configuration\n${error.message}\n`);
  return target.exit(CONFIG_EXIT_CODE);
}
