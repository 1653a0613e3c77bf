import type { BackendLoad, ReleaseResult, ReportedLoad } from '@lbpoc/registry';

/** What the request path needs of a backend: where it is, and what the algorithms read. */
export interface RoutableBackend {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly weight: number;
  readonly inFlight: number;
  /** The backend's own latest load report, for the load-aware algorithms (`Server.load`). */
  readonly load?: ReportedLoad | undefined;
}

/**
 * What the request path needs of the pool: the backends to pick from, and the counting
 * of each request. `@lbpoc/registry`'s `BackendPool` is one (a single process); a worker
 * thread's view of the primary's pool is the other (workers/worker-pool.ts).
 */
export interface RequestPool<B extends RoutableBackend = RoutableBackend> {
  eligible(): readonly B[];
  acquire(backend: B): void;
  release(backend: B, result?: ReleaseResult): void;
  /** A response carried the backend's load report: the algorithms read it from the backend's `load`. */
  reportLoad(id: string, load: BackendLoad): void;
}
