import { setTimeout as sleep } from 'node:timers/promises';

/** "Not yet, and here is what I saw": a check's answer that keeps waitFor waiting and ends up in its timeout message. */
export class NotYet {
  constructor(readonly seen: string) {}
}
export const notYet = (seen: string) => new NotYet(seen);

/**
 * Polls `check` until it returns something other than `undefined`, `false` or `notYet(...)`,
 * or fails after `timeoutMs` naming what was awaited and the last thing seen (a thrown
 * error counts as not yet). Every wait is bounded.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | NotYet | undefined | false> | T | NotYet | undefined | false,
  { timeoutMs, intervalMs = 200 }: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const value = await check();
      if (value instanceof NotYet) last = value.seen;
      else if (value !== undefined && value !== false) return value;
      else last = String(value);
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${last}`);
    await sleep(intervalMs);
  }
}
