import { listenHint } from './listen-hint.js';

/** A listener as configured: the variables that chose its address, and their values. */
export interface Listener {
  /** The port's variable, e.g. `PORT`, `METRICS_PORT`. */
  readonly variable: string;
  /** The address's variable, e.g. `HOST`, `METRICS_HOST`. */
  readonly hostVariable: string;
  readonly host: string;
  readonly port: number;
}

/** A server could not bind; the message names the variables that chose the address and what to change. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
  readonly variable: string;
  readonly code: string;

  constructor(listener: Listener, code: string | undefined, detail: string, options?: ErrorOptions) {
    const { variable, hostVariable, host, port } = listener;
    const hint = (code === undefined ? undefined : listenHint(code, { port: variable, host: hostVariable })) ?? detail;
    super(`cannot listen on ${host}:${port} (${variable}=${port}, ${hostVariable}=${host}): ${hint}${code === undefined ? '' : ` (${code})`}`, options);
    this.variable = variable;
    this.code = code ?? 'UNKNOWN';
  }

  /**
   * The `ListenError` for a server's `'error'` on listen, when it is one (`syscall:
   * 'listen'`, or the lookup of a host name) and it names one of `listeners`: by port, or
   * by address for a port of 0 (node then names no port) and a failed lookup. Undefined
   * for any other error.
   */
  static from(error: unknown, listeners: readonly Listener[]): ListenError | undefined {
    if (typeof error !== 'object' || error === null) return undefined;
    const { syscall, code, port, address, hostname, message } = error as NodeJS.ErrnoException & { port?: number; address?: string; hostname?: string };
    let listener: Listener | undefined;
    if (syscall === 'listen') {
      listener = port === undefined ? listeners.find((l) => l.port === 0 && l.host === address) : listeners.find((l) => l.port === port);
    } else if (syscall === 'getaddrinfo') {
      listener = listeners.find((l) => l.host === hostname);
    }
    return listener === undefined ? undefined : new ListenError(listener, code, message, { cause: error });
  }
}
