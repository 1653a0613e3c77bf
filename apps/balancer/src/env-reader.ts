import type { EnvProblem } from './config-error.js';

/**
 * Reads typed values out of an environment object, collecting every problem instead of
 * stopping at the first. An unset or empty variable takes its default.
 */
export class EnvReader {
  readonly problems: EnvProblem[] = [];
  /** Variables read with `secret()`: their problems never carry the value. */
  private readonly secrets = new Set<string>();

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  /** The raw value, trimmed; undefined when unset or blank. */
  raw(variable: string): string | undefined {
    const value = this.env[variable]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  /**
   * Records that `variable` is not valid and what is allowed. The problem carries the
   * value, to be printed at start; for a variable read with `secret()`, it does not.
   */
  problem(variable: string, allowed: string): void {
    if (this.secrets.has(variable)) this.problems.push({ variable, value: '', secret: true, allowed });
    else this.problems.push({ variable, value: this.env[variable] ?? '', allowed });
  }

  /**
   * A secret (a token, a password), trimmed like `raw()`; undefined when unset, blank or
   * refused. `flaw` says what is wrong with a value without quoting any of it (its length,
   * the position of a bad character), or returns undefined to accept it. A refused value
   * is reported as `allowed` plus that flaw and is never echoed: not by this problem, nor
   * by a later `problem()` on the same variable. The start-up error goes to logs and CI
   * output, which are read by more people than may know the secret.
   */
  secret(variable: string, allowed: string, flaw: (value: string) => string | undefined): string | undefined {
    this.secrets.add(variable);
    const value = this.raw(variable);
    if (value === undefined) return undefined;
    const wrong = flaw(value);
    if (wrong === undefined) return value;
    this.problem(variable, `${allowed}; ${wrong}`);
    return undefined;
  }

  integer(variable: string, fallback: number, min: number, max: number): number {
    const value = this.raw(variable);
    if (value === undefined) return fallback;
    const parsed = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (Number.isSafeInteger(parsed) && parsed >= min && parsed <= max) return parsed;
    this.problem(variable, `an integer from ${min} to ${max} (default ${fallback})`);
    return fallback;
  }

  fraction(variable: string, fallback: number): number {
    const value = this.raw(variable);
    if (value === undefined) return fallback;
    const parsed = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
    if (parsed >= 0 && parsed <= 1) return parsed;
    this.problem(variable, `a number from 0 to 1 (default ${fallback})`);
    return fallback;
  }

  /** A plain decimal number (no exponent, no sign) from min to max; undefined when unset. */
  decimal(variable: string, min: number, max: number): number | undefined {
    const value = this.raw(variable);
    if (value === undefined) return undefined;
    const parsed = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
    if (parsed >= min && parsed <= max) return parsed;
    this.problem(variable, `a number from ${min} to ${max}`);
    return undefined;
  }

  oneOf<T extends string>(variable: string, allowed: readonly T[], fallback: T): T;
  oneOf<T extends string>(variable: string, allowed: readonly T[], fallback: undefined): T | undefined;
  oneOf<T extends string>(variable: string, allowed: readonly T[], fallback: T | undefined): T | undefined {
    const value = this.raw(variable);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problem(variable, `one of ${allowed.join(', ')}${fallback === undefined ? '' : ` (default ${fallback})`}`);
    return fallback;
  }

  path(variable: string, fallback: string): string {
    const value = this.raw(variable);
    if (value === undefined) return fallback;
    if (/^\/[\x21-\x7e]*$/.test(value)) return value;
    this.problem(variable, `an absolute URL path such as /health (default ${fallback})`);
    return fallback;
  }
}
