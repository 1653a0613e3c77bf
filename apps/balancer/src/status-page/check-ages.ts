import type { Backend } from '@lbpoc/registry';
import type { LastCheck } from './status-types.js';

interface Seen {
  passed: number;
  failed: number;
  /** Wall-clock ms of the tick that first saw the latest check; undefined before any. */
  at: number | undefined;
  result: boolean | undefined;
}

/**
 * When each backend's last active health check ran, and whether it passed, to the
 * second: the pool keeps the result (`lastCheck`) and counters of passes and failures but
 * not the time, so this looks at the counters once a second (`observe`) and notes when
 * they move. Nothing is added to the check path itself.
 */
export class CheckAges {
  private readonly seen = new Map<string, Seen>();

  observe(backends: readonly Backend[], now: number): void {
    const present = new Set<string>();
    for (const backend of backends) {
      present.add(backend.id);
      const { checksPassed, checksFailed } = backend.counters;
      let seen = this.seen.get(backend.id);
      if (seen === undefined) this.seen.set(backend.id, (seen = { passed: 0, failed: 0, at: undefined, result: undefined }));
      const morePassed = checksPassed > seen.passed;
      const moreFailed = checksFailed > seen.failed;
      if (morePassed || moreFailed) {
        seen.at = now;
        // Both moved within one second (fast checks): the last result says which came last.
        seen.result = morePassed && moreFailed ? passedDetail(backend.lastCheck) : morePassed;
        seen.passed = checksPassed;
        seen.failed = checksFailed;
      }
    }
    for (const id of this.seen.keys()) if (!present.has(id)) this.seen.delete(id);
  }

  of(backend: Backend, now: number): LastCheck {
    const seen = this.seen.get(backend.id);
    const at = seen?.at;
    return {
      detail: backend.lastCheck ?? null,
      passed: seen?.result ?? null,
      age_s: at === undefined ? null : Math.max(0, Math.round((now - at) / 1000)),
    };
  }
}

/** The registry's probe reports a pass as `HTTP 2xx` (see `@lbpoc/registry`'s health/http-probe). */
function passedDetail(detail: string | undefined): boolean {
  return detail !== undefined && /^HTTP 2\d\d$/.test(detail);
}
