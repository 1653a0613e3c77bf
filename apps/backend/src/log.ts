/**
 * One JSON object per line on stdout: what `docker logs` and log shippers parse without
 * configuration. Only lifecycle events are logged; per-request data goes to metrics.
 */
export type Log = (msg: string, fields?: Readonly<Record<string, unknown>>) => void;

export function jsonLog(write: (line: string) => void = (line) => process.stdout.write(line)): Log {
  return (msg, fields = {}) => write(`${JSON.stringify({ time: new Date().toISOString(), msg, ...fields })}\n`);
}
