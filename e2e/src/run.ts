import { execFile } from 'node:child_process';

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Killed after this long; every external command in these tests is bounded. */
  readonly timeoutMs?: number;
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command to completion. A non-zero exit, a timeout or a missing binary rejects
 * with the command line and the end of its stderr, so a failed step says what failed.
 */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { env: options.env ?? process.env, cwd: options.cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ stdout, stderr });
          return;
        }
        const { code, killed } = error as NodeJS.ErrnoException & { killed?: boolean };
        const why = code === 'ENOENT' ? 'not installed (ENOENT)' : killed ? `killed after ${timeoutMs} ms` : `exit ${String(code)}`;
        reject(new Error(`${command} ${args.join(' ')}: ${why}\n${tail(stderr || stdout, 30)}`, { cause: error }));
      },
    );
  });
}

/** The last `lines` lines of a text. */
export function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
