/** Hints for the listen errors a person can do something about. */
const HINTS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the port is already in use; stop what holds it or set another port',
  EACCES: 'permission denied; ports below 1024 need privileges, set a port of 1024 or above',
  EADDRNOTAVAIL: 'the address is not on this machine; set HOST to 0.0.0.0, 127.0.0.1 or one of its addresses',
  ENOTFOUND: 'HOST does not resolve; set it to an IP address',
};

/** A server could not bind; names the variable that chose the address. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
  readonly variable: 'PORT' | 'METRICS_PORT';
  readonly code: string;

  constructor(variable: 'PORT' | 'METRICS_PORT', host: string, port: number, code: string | undefined, detail: string) {
    const hint = (code !== undefined ? HINTS[code] : undefined) ?? detail;
    super(`cannot listen on ${host}:${port} (${variable}=${port}, HOST=${host}): ${hint}${code !== undefined ? ` (${code})` : ''}`);
    this.variable = variable;
    this.code = code ?? 'UNKNOWN';
  }
}
