/** A listener as configured: the variables that chose its address, and their values. */
export interface Listener {
  /** The port's variable, e.g. `PORT`, `METRICS_PORT`. */
  readonly variable: string;
  /** The address's variable, e.g. `HOST`, `METRICS_HOST`. */
  readonly hostVariable: string;
  readonly host: string;
  readonly port: number;
}

/** What a person can do about the listen errors that are theirs to fix. */
function hintFor(code: string, listener: Listener): string | undefined {
  switch (code) {
    case 'EADDRINUSE':
      return `the port is already in use; stop what holds it or set ${listener.variable} to another port`;
    case 'EACCES':
      return `permission denied; ports below 1024 need privileges, set ${listener.variable} to 1024 or above`;
    case 'EADDRNOTAVAIL':
      return `the address is not on this machine; set ${listener.hostVariable} to 0.0.0.0, 127.0.0.1 or one of its addresses`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${listener.hostVariable} does not resolve; set it to an IP address`;
    default:
      return undefined;
  }
}

/** A server could not bind; the message names the variables that chose the address and what to change. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
  readonly variable: string;
  readonly code: string;

  constructor(listener: Listener, code: string | undefined, detail: string, options?: ErrorOptions) {
    const { variable, hostVariable, host, port } = listener;
    const hint = (code === undefined ? undefined : hintFor(code, listener)) ?? detail;
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
