/**
 * A client's value for an error message: JSON-quoted (so control bytes and quotes cannot
 * break the message or a log line) and cut at `max` characters (so an error is never an
 * echo of a 16 KiB header).
 */
export function quoted(value: string, max = 100): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}...` : value);
}
