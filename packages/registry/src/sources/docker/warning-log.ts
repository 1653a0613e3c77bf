import type { DockerWarningDetail } from './docker-source-events.js';

/**
 * Remembers which warnings were already reported for each container, so that a container
 * re-inspected on every event, or a service polled every two seconds, is reported once
 * per problem, and again only if its problems change (or come back after a fix).
 */
export class WarningLog {
  private readonly seen = new Map<string, string>();

  /** The warnings to report now for `key`: all of them if they differ from the last report, else none. */
  fresh(key: string, warnings: readonly DockerWarningDetail[]): readonly DockerWarningDetail[] {
    if (warnings.length === 0) {
      this.seen.delete(key);
      return [];
    }
    const signature = warnings.map((warning) => warning.message).join('\n');
    if (this.seen.get(key) === signature) return [];
    this.seen.set(key, signature);
    return warnings;
  }
}
