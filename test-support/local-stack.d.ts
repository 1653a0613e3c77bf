/**
 * Types and contract of local-stack.js: demo backends and the balancer as real processes
 * on 127.0.0.1 (the built `dist/main.js` of apps/backend and apps/balancer), on free ports
 * unless given, configured by environment. One harness for `pnpm demo`, `pnpm soak`,
 * `pnpm compare` and the tests that start the real thing.
 *
 * ```js
 * const stack = await startLocalStack({ balancerEnv: { MAX_CONNECTIONS_PER_CLIENT: '0' } });
 * await fetch(`${stack.balancer.url}/?algo=p2c`);
 * await stack.stop();
 * ```
 *
 * Every wait is bounded: readiness (10 s by default) fails naming the process and showing
 * its output; a stop is SIGTERM, then SIGKILL after 15 s (longer than either app's own
 * drain). Whatever is still running when the starting process exits is killed.
 */
import type { ChildProcess } from 'node:child_process';

export declare const REPO_ROOT: string;
export declare const BACKEND_MAIN: string;
export declare const BALANCER_MAIN: string;
/** The balancer's node flags as its image runs it (apps/balancer/node-flags.json). */
export declare const BALANCER_NODE_FLAGS: readonly string[];

/** One demo backend (apps/backend): its SERVER_ID, SIMULATED_DELAY and weight in BACKEND_SERVERS. */
export interface BackendSpec {
  readonly id: string;
  /** SIMULATED_DELAY: `5`, `10-30`, `exp:80`, ... */
  readonly delay: string;
  /** Its weight in the balancer's BACKEND_SERVERS; 1 if not given. */
  readonly weight?: number | undefined;
  /** ERROR_RATE, when given. */
  readonly errorRate?: number | undefined;
}

/**
 * The demo set (`pnpm demo`, `pnpm compare`, reports/comparison.md): fast (5 ms, weight 3),
 * medium (10-30 ms, weight 2), slow with a long tail (exp:80, weight 1).
 */
export declare const DEMO_BACKENDS: readonly BackendSpec[];

export type Env = Readonly<Record<string, string | undefined>>;

/** A child this module started: output kept (the tail), stopped by its own pid. */
export declare class LocalProcess {
  readonly name: string;
  readonly process: ChildProcess;
  /** Resolves when the process has gone (never rejects). */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  get pid(): number | undefined;
  /** The last 20,000 characters of its stdout and stderr. */
  get log(): string;
  get exited(): boolean;
  /** SIGTERM, SIGKILL if it is still there after `graceMs` (15 s); resolves to the exit code (null if a signal ended it). */
  stop(graceMs?: number): Promise<number | null>;
}

export interface RunningBackend {
  readonly spec: BackendSpec;
  readonly id: string;
  readonly weight: number;
  readonly port: number;
  readonly metricsPort: number;
  /** `127.0.0.1:<port>`, as in BACKEND_SERVERS. */
  readonly address: string;
  readonly child: LocalProcess;
}

export interface RunningBalancer {
  readonly port: number;
  readonly metricsPort: number;
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /** `http://127.0.0.1:<metricsPort>`: /metrics, /backends, /healthz, /readyz. */
  readonly adminUrl: string;
  readonly child: LocalProcess;
}

export interface StartOptions {
  /** A fixed port; a free one if not given. */
  readonly port?: number | undefined;
  /** A fixed METRICS_PORT; a free one if not given. */
  readonly metricsPort?: number | undefined;
  /** More environment on top of PATH. HOST, PORT, METRICS_PORT (and the backend's SERVER_ID, SIMULATED_DELAY, ERROR_RATE; the balancer's BACKEND_SERVERS, METRICS_HOST) are set by this module. */
  readonly env?: Env | undefined;
  /** How long to wait for readiness; 10 s if not given. */
  readonly readyTimeoutMs?: number | undefined;
}

export interface BalancerOptions extends StartOptions {
  /** Node options before the entry point: BALANCER_NODE_FLAGS to run it as the image does; none if not given. */
  readonly nodeFlags?: readonly string[] | undefined;
  /** Ready when this admin route answers 2xx: `readyz` (default; at least one eligible backend) or `healthz` (listening, for a balancer meant to have no healthy backend). */
  readonly waitFor?: 'readyz' | 'healthz' | undefined;
}

/** `127.0.0.1:<port>@<weight>,...`: BACKEND_SERVERS for these backends. */
export declare function backendServers(backends: readonly RunningBackend[]): string;

/** One backend, ready (`/health`) when this resolves. */
export declare function startBackend(spec: BackendSpec, options?: StartOptions): Promise<RunningBackend>;

/** The balancer in front of `backends` (running backends, or a BACKEND_SERVERS string), ready when this resolves. LOG_LEVEL is `warn` unless `env` says otherwise. */
export declare function startBalancer(backends: readonly RunningBackend[] | string, options?: BalancerOptions): Promise<RunningBalancer>;

export interface LocalStackOptions {
  /** DEMO_BACKENDS if not given. */
  readonly backends?: readonly BackendSpec[] | undefined;
  /** Environment for every process (`pnpm demo` passes process.env). */
  readonly env?: Env | undefined;
  /** More environment for the backends only. */
  readonly backendEnv?: Env | undefined;
  /** More environment for the balancer only. */
  readonly balancerEnv?: Env | undefined;
  readonly nodeFlags?: readonly string[] | undefined;
  /** Fixed ports; each one not given is a free one. `backends[i]` and `backendMetrics[i]` are those of backend i. */
  readonly ports?:
    | {
        readonly balancer?: number | undefined;
        readonly metrics?: number | undefined;
        readonly backends?: readonly (number | undefined)[] | undefined;
        readonly backendMetrics?: readonly (number | undefined)[] | undefined;
      }
    | undefined;
  readonly readyTimeoutMs?: number | undefined;
}

export interface LocalStack {
  readonly balancer: RunningBalancer;
  /** In the order given; restartBackend replaces an entry. */
  readonly backends: RunningBackend[];
  /** Stops backend `index` gracefully (resolves to its exit code), waits `pauseMs`, starts it again on the same ports and waits for `/health`. */
  restartBackend(index: number, options?: { readonly pauseMs?: number | undefined }): Promise<number | null>;
  /** The balancer first (so it does not see its backends go away), then the backends; resolves to the exit codes. */
  stop(): Promise<{ balancer: number | null; backends: (number | null)[] }>;
}

/** Backends (in parallel), then the balancer in front of all of them, ready (`/readyz`) when this resolves. If any part fails to start, what did start is stopped. */
export declare function startLocalStack(options?: LocalStackOptions): Promise<LocalStack>;
