import { readFileSync, statSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { EnvReader } from '@lbpoc/service-kit';

/** `TLS_CERT_FILE` / `TLS_KEY_FILE` / `TLS_REDIRECT_PORT`: TLS termination on the traffic port. */
export interface TlsConfig {
  readonly certFile: string;
  readonly keyFile: string;
  /** PEM, read once at start (a certificate renewal needs a restart). */
  readonly cert: Buffer;
  readonly key: Buffer;
  /** A plain-HTTP port answering 308 to https; undefined when there is none. */
  readonly redirectPort: number | undefined;
}

/** PEM files are a few KiB; a limit keeps a wrong path (a log, a device) from being read whole. */
const MAX_PEM_BYTES = 1024 * 1024;

/**
 * Reads and checks the TLS variables: both files or neither, each a readable regular
 * file, and together a certificate and key that OpenSSL accepts as a pair, so a wrong
 * file stops the process at start with the variable named, not at the first handshake.
 */
export function readTlsConfig(read: EnvReader): TlsConfig | undefined {
  const certFile = read.raw('TLS_CERT_FILE');
  const keyFile = read.raw('TLS_KEY_FILE');
  const redirectPort = readRedirectPort(read);

  if (certFile === undefined || keyFile === undefined) {
    if (certFile !== undefined) read.problem('TLS_KEY_FILE', `required with TLS_CERT_FILE: the path of the PEM private key`);
    if (keyFile !== undefined) read.problem('TLS_CERT_FILE', `required with TLS_KEY_FILE: the path of the PEM certificate (chain)`);
    if (redirectPort !== undefined) read.problem('TLS_REDIRECT_PORT', 'only with TLS_CERT_FILE and TLS_KEY_FILE: it redirects plain HTTP to the TLS port');
    return undefined;
  }
  if (redirectPort !== undefined && redirectPort !== 0) {
    // Compared with the ports in effect, defaults included (PORT 5000, METRICS_PORT 8000).
    for (const [other, fallback] of [
      ['PORT', '5000'],
      ['METRICS_PORT', '8000'],
    ] as const) {
      if (Number(read.raw(other) ?? fallback) === redirectPort) read.problem('TLS_REDIRECT_PORT', `a port other than ${other} (${redirectPort})`);
    }
  }
  const cert = readPem(read, 'TLS_CERT_FILE', certFile, 'certificate');
  const key = readPem(read, 'TLS_KEY_FILE', keyFile, 'private key');
  if (cert === undefined || key === undefined) return undefined;
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    read.problem('TLS_CERT_FILE', `a PEM certificate that matches the key in TLS_KEY_FILE (${keyFile}); OpenSSL: ${(error as Error).message}`);
    return undefined;
  }
  return { certFile, keyFile, cert, key, redirectPort };
}

function readPem(read: EnvReader, variable: string, path: string, what: string): Buffer | undefined {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new Error('not a regular file');
    if (stat.size > MAX_PEM_BYTES) throw new Error(`larger than ${MAX_PEM_BYTES} bytes`);
    return readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    read.problem(variable, `the path of a readable PEM ${what} file (${reason})`);
    return undefined;
  }
}

function readRedirectPort(read: EnvReader): number | undefined {
  const value = read.raw('TLS_REDIRECT_PORT');
  if (value === undefined) return undefined;
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (port <= 65535) return port;
  read.problem('TLS_REDIRECT_PORT', 'a port from 0 to 65535 (0: any free port); unset: no redirect listener');
  return undefined;
}
