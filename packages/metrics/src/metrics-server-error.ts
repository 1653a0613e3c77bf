/** Hints for the listen errors a person can do something about. */
const HINTS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the port is already in use; stop what holds it or choose another port',
  EACCES: 'permission denied; ports below 1024 need privileges, choose a port of 1024 or above',
  EADDRNOTAVAIL: 'the host address is not on this machine; use 0.0.0.0, 127.0.0.1 or one of its addresses',
  ENOTFOUND: 'the host name does not resolve; use an IP address or a resolvable name',
};

/** The `/metrics` server could not listen on the address it was given. */
export class MetricsServerError extends Error {
  override readonly name = 'MetricsServerError';
  readonly code: string;
  readonly host: string;
  readonly port: number;

  constructor(host: string, port: number, cause: NodeJS.ErrnoException) {
    const code = cause.code ?? 'UNKNOWN';
    const hint = HINTS[code] ?? cause.message;
    super(`cannot serve /metrics on ${host}:${port}: ${hint} (${code})`, { cause });
    this.code = code;
    this.host = host;
    this.port = port;
  }
}
