/**
 * Calls `onAbort` once when `signal` aborts. Returns what undoes the link (call it when the
 * work finished or was closed another way, so a long-lived signal does not keep us alive),
 * or undefined when there is no signal.
 */
export function linkAbort(signal: AbortSignal | undefined, onAbort: () => void): (() => void) | undefined {
  if (signal === undefined) return undefined;
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}
