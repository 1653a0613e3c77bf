// The hint text is @lbpoc/service-kit's (internal, bundled into this package's dist by tsup).
import { listenHint } from '@lbpoc/service-kit';

/** The `/metrics` server could not listen on the address it was given. */
export class MetricsServerError extends Error {
  override readonly name = 'MetricsServerError';
  readonly code: string;
  readonly host: string;
  readonly port: number;

  constructor(host: string, port: number, cause: NodeJS.ErrnoException) {
    const code = cause.code ?? 'UNKNOWN';
    const hint = listenHint(code) ?? cause.message;
    super(`cannot serve /metrics on ${host}:${port}: ${hint} (${code})`, { cause });
    this.code = code;
    this.host = host;
    this.port = port;
  }
}
