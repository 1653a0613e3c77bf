import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { waitFor } from './test-balancer.js';

export const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
/** The node flags the image runs with (node-flags.json): worker threads must start under them too. */
const NODE_FLAGS = JSON.parse(readFileSync(new URL('../node-flags.json', import.meta.url), 'utf8')) as string[];

export interface BalancerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly adminUrl: string;
  output(): string;
}

/**
 * `dist/main.js` as deployed (with the image's node flags), in a process of its own on ephemeral ports of 127.0.0.1
 * (read back from its start-up log line). Killed when the test ends, if still running.
 */
export async function startBalancerProcess(env: Record<string, string>): Promise<BalancerProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`pnpm --filter @lbpoc/balancer build\` first (turbo's test task does)`);
  const child = spawn(process.execPath, [...NODE_FLAGS, MAIN], {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', METRICS_HOST: '127.0.0.1', PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await waitFor(() => output.includes('balancer listening') || child.exitCode !== null, 15_000, 'the balancer to listen');
  const line = output.split('\n').find((l) => l.includes('balancer listening'));
  if (line === undefined) throw new Error(`the balancer did not start:\n${output}`);
  const { port, metrics_port: metricsPort } = JSON.parse(line) as { port: number; metrics_port: number };
  return { child, url: `http://127.0.0.1:${port}`, adminUrl: `http://127.0.0.1:${metricsPort}`, output: () => output };
}
