import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/**
 * A child process the test started and must stop: output kept (the tail) for failure
 * messages, and stopped by its own pid — never by name.
 */
export class Child {
  readonly process: ChildProcess;
  private output = '';

  constructor(
    readonly name: string,
    command: string,
    args: readonly string[],
    options: { env?: Record<string, string>; cwd?: string } = {},
  ) {
    this.process = spawn(command, args, {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000));
    this.process.stdout!.on('data', keep);
    this.process.stderr!.on('data', keep);
  }

  get log(): string {
    return this.output;
  }

  get exited(): boolean {
    return this.process.exitCode !== null || this.process.signalCode !== null;
  }

  /** Waits for the process to end by itself (with a deadline) and returns its exit code. */
  async wait(timeoutMs: number): Promise<number | null> {
    if (!this.exited) {
      const timer = setTimeout(() => this.process.kill('SIGKILL'), timeoutMs);
      await once(this.process, 'exit');
      clearTimeout(timer);
    }
    return this.process.exitCode;
  }

  /** SIGTERM, then SIGKILL if it has not gone after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.exited) return;
    const exit = once(this.process, 'exit');
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await exit;
    clearTimeout(timer);
  }
}

/** Polls `probe` until it is true; fails naming what it waited for and the child's log. */
export async function waitUntil(probe: () => Promise<boolean>, what: string, timeoutMs: number, child?: Child): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child?.exited) throw new Error(`${child.name} exited (code ${child.process.exitCode}) while waiting for ${what}:\n${child.log}`);
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${child ? `; ${child.name} said:\n${child.log}` : ''}`);
}

export async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await response.arrayBuffer();
  return response.ok;
}
