import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LoadOptions {
  /** e.g. http://127.0.0.1:5000/ */
  readonly url: string;
  /** Requests in flight at once (each worker sends its next request when the last one is answered). */
  readonly concurrency: number;
  /** Pause between one worker's requests, ms: keeps a 2-core machine free for the containers under test. */
  readonly pauseMs: number;
  /** Hard bounds: the loop stops by itself at whichever comes first. */
  readonly maxRequests: number;
  readonly maxDurationMs: number;
  /** A request unanswered for this long counts as failed. */
  readonly timeoutMs?: number;
}

export interface LoadFailure {
  readonly atMs: number;
  readonly status?: number;
  readonly error?: string;
  readonly body?: string;
}

export interface LoadReport {
  readonly sent: number;
  readonly ok: number;
  readonly failures: readonly LoadFailure[];
  /** x-lbpoc-backend value -> answers. */
  readonly backends: ReadonlyMap<string, number>;
  readonly durationMs: number;
  /** Why it stopped: asked to, or a bound was reached. */
  readonly stoppedBy: 'stop' | 'maxRequests' | 'maxDuration';
}

/** A running closed-loop client; `backendsSince(mark)` tells which backends answered lately. */
export interface RunningLoad {
  stop(): Promise<LoadReport>;
  /** Answers so far. */
  readonly count: number;
  /** Backends that answered after the given answer count. */
  backendsSince(mark: number): Set<string>;
}

/**
 * A closed-loop HTTP client: `concurrency` workers, each doing GET, reading the whole
 * answer, pausing, and again, over keep-alive connections as a real client would. Every
 * non-200 answer and every transport error is a failure, with its time and reason.
 */
export function startLoad(options: LoadOptions): RunningLoad {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const started = Date.now();
  const failures: LoadFailure[] = [];
  const backends = new Map<string, number>();
  const answered: string[] = [];
  let sent = 0;
  let ok = 0;
  let stopping = false;
  let stoppedBy: LoadReport['stoppedBy'] = 'stop';

  const once = () =>
    new Promise<void>((resolve) => {
      const req = request(options.url, { agent, timeout: options.timeoutMs ?? 10_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const backend = String(res.headers['x-lbpoc-backend'] ?? '');
          if (res.statusCode === 200) {
            ok += 1;
            backends.set(backend, (backends.get(backend) ?? 0) + 1);
            answered.push(backend);
          } else {
            failures.push({ atMs: Date.now() - started, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, 300) });
          }
          resolve();
        });
        res.on('error', (error) => {
          failures.push({ atMs: Date.now() - started, error: `response: ${error.message}` });
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs ?? 10_000} ms`)));
      req.on('error', (error: NodeJS.ErrnoException) => {
        failures.push({ atMs: Date.now() - started, error: error.code ?? error.message });
        resolve();
      });
      req.end();
    });

  const worker = async () => {
    while (!stopping) {
      if (sent >= options.maxRequests) {
        stoppedBy = 'maxRequests';
        return;
      }
      if (Date.now() - started >= options.maxDurationMs) {
        stoppedBy = 'maxDuration';
        return;
      }
      sent += 1;
      await once();
      await sleep(options.pauseMs);
    }
  };
  const workers = Promise.all(Array.from({ length: options.concurrency }, worker));

  return {
    get count() {
      return answered.length;
    },
    backendsSince(mark: number) {
      return new Set(answered.slice(mark));
    },
    async stop() {
      stopping = true;
      await workers;
      agent.destroy();
      return { sent, ok, failures, backends, durationMs: Date.now() - started, stoppedBy };
    },
  };
}

/** A failure list a person can read in an assertion message. */
export function describeFailures(report: LoadReport): string {
  const shown = report.failures.slice(0, 10).map((f) => `  at ${f.atMs} ms: ${f.status !== undefined ? `HTTP ${f.status} ${f.body ?? ''}` : f.error}`);
  return `${report.failures.length} of ${report.sent} requests failed${shown.length ? `:\n${shown.join('\n')}` : ''}`;
}
