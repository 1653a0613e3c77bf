import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import { freePort } from '../../test-support/free-port.js';
import type { EngineInfo } from '../src/private-engine.js';
import { REPO_ROOT } from '../src/repo.js';
import { waitFor } from '../src/wait-for.js';

/**
 * Helpers of the docker-api proxy's tests: the real proxy process in front of this run's
 * real engine, and clients that speak to it byte for byte.
 *
 * LBPOC_E2E_PROXY_DIR runs the same tests against another copy of the proxy's files (a
 * folder with proxy.mjs and what it imports), e.g. an older version, to show that a test
 * fails where the proxy is wrong: `git show HEAD~1:infra/images/docker-api-proxy/...`.
 */
export const PROXY_DIR = process.env.LBPOC_E2E_PROXY_DIR || `${REPO_ROOT}infra/images/docker-api-proxy`;

export interface RunningProxy {
  readonly port: number;
  readonly process: ChildProcess;
  /** What the proxy wrote (its JSON log lines and any crash). */
  output(): string;
  stop(): void;
}

/** Starts proxy.mjs on 127.0.0.1 with the engine's socket, and waits until it answers. */
export async function startProxy(engine: EngineInfo, env: NodeJS.ProcessEnv = {}): Promise<RunningProxy> {
  const port = await freePort();
  const child = spawn(process.execPath, [`${PROXY_DIR}/proxy.mjs`], {
    env: { ...process.env, DOCKER_SOCKET: engine.socketPath, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-64 * 1024);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const proxy: RunningProxy = { port, process: child, output: () => output, stop: () => void child.kill('SIGTERM') };
  try {
    await waitFor(
      'the proxy to answer',
      async () => {
        if (child.exitCode !== null) throw new Error(`the proxy exited (${child.exitCode}): ${output}`);
        return (await send(port, 'GET', '/_ping')).status === 200;
      },
      { timeoutMs: 10_000 },
    );
  } catch (error) {
    proxy.stop();
    throw error;
  }
  return proxy;
}

/** One request through node:http (the path goes as written): status, headers and body. */
export function send(port: number, method: string, path: string, body?: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, timeout: 10_000, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    req.end(body);
  });
}

export interface RawExchange {
  /** Every status code seen, in order (one per HTTP answer on the connection). */
  readonly statuses: number[];
  /** Everything the proxy sent back, as text. */
  readonly text: string;
  /** True if the proxy closed the connection; false if it was still open when the wait ended. */
  readonly closedByProxy: boolean;
}

/**
 * Writes bytes on a fresh TCP connection exactly as given and reads until the proxy closes
 * it, or until `waitMs` pass with the connection still open (then it is closed here).
 */
export function rawExchange(port: number, bytes: string | Buffer, waitMs = 3000): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (closedByProxy: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ statuses: [...text.matchAll(/HTTP\/1\.[01] (\d{3}) /g)].map((match) => Number(match[1])), text, closedByProxy });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset after the answer still counts as the proxy closing; before any, it is a failure.
      if (error.code === 'ECONNRESET' && chunks.length > 0) finish(true);
      else if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.write(bytes);
  });
}

/** Docker's error message in the JSON body of the first answer of an exchange. */
export function refusalMessage(exchange: RawExchange): string {
  const headEnd = exchange.text.indexOf('\r\n\r\n');
  const length = Number(/\r\ncontent-length: *(\d+)/i.exec(exchange.text.slice(0, headEnd))?.[1]);
  if (headEnd === -1 || !Number.isInteger(length)) throw new Error(`no answer with a length in: ${exchange.text.slice(0, 500)}`);
  return (JSON.parse(exchange.text.slice(headEnd + 4, headEnd + 4 + length)) as { message: string }).message;
}
