import type { DrainResult } from './drain-http-server.js';

/** A step of the shutdown, for the app to log in its own format. */
export type ShutdownStep =
  | { readonly step: 'draining'; readonly signal: NodeJS.Signals }
  | { readonly step: 'drained' }
  | { readonly step: 'cut'; readonly cutRequests: number }
  | { readonly step: 'failed'; readonly error: unknown }
  | { readonly step: 'second-signal'; readonly signal: NodeJS.Signals };

/** Where the signals come from and how the process ends: `process` itself, unless a test passes its own. */
export interface SignalTarget {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): void;
}

export interface ShutdownOptions {
  /** Stops accepting and lets in-flight work finish, up to the app's deadline. Called once. */
  readonly drain: () => Promise<DrainResult>;
  /** Told of each step (log it). */
  readonly report: (step: ShutdownStep) => void;
  /** Default SIGTERM (docker stop, Kubernetes) and SIGINT (Ctrl-C). */
  readonly signals?: readonly NodeJS.Signals[];
  readonly target?: SignalTarget;
}

/**
 * The services' shutdown: the first SIGTERM or SIGINT drains, then the process exits 0
 * when everything finished, 1 when requests were cut at the deadline (or the drain
 * failed); a second signal exits 1 at once, for a person who does not want to wait.
 * Returns a function that removes the listeners.
 */
export function shutdownOnSignals(options: ShutdownOptions): () => void {
  const target: SignalTarget = options.target ?? process;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let draining = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (draining) {
      options.report({ step: 'second-signal', signal });
      target.exit(1);
      return;
    }
    draining = true;
    options.report({ step: 'draining', signal });
    options.drain().then(
      (result) => {
        options.report(result.clean ? { step: 'drained' } : { step: 'cut', cutRequests: result.cutRequests });
        target.exit(result.clean ? 0 : 1);
      },
      (error: unknown) => {
        options.report({ step: 'failed', error });
        target.exit(1);
      },
    );
  };
  for (const signal of signals) target.on(signal, onSignal);
  return () => {
    for (const signal of signals) target.off(signal, onSignal);
  };
}
