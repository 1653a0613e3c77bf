import { isIP } from 'node:net';
import { ConfigError, type EnvProblem } from './config-error.js';

/** The longest duration a variable accepts by default: a day, in milliseconds (longer is a typo, not a setting). */
export const DAY_MS = 86_400_000;

/** A host name as resolvers accept it: letters, digits, dots and hyphens, not starting or ending with punctuation. */
const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
/** A plain decimal from 0 up: `1`, `0.5`, `.5`; no sign, no exponent. */
const DECIMAL = /^(?:\d+(?:\.\d+)?|\.\d+)$/;

/**
 * Reads typed values out of an environment object, collecting every problem instead of
 * stopping at the first; `throwIfProblems()` then reports them all in one `ConfigError`.
 * An unset or blank variable (Compose writes `VAR=` for one it has no value for) takes
 * its default. Time variables are milliseconds and named `*_MS` (`milliseconds()` refuses
 * any other name).
 */
export class EnvReader {
  readonly problems: EnvProblem[] = [];
  /** Deprecations to print at start (`renamed()`); not problems: the process still starts. */
  readonly warnings: string[] = [];
  /** Variables read with `secret()`: their problems never carry the value. */
  private readonly secrets = new Set<string>();
  /** New name -> the deprecated name its value is read from (`renamed()`). */
  private readonly oldNames = new Map<string, string>();

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  /** The raw value, trimmed; undefined when unset or blank. */
  raw(variable: string): string | undefined {
    const value = this.env[this.oldNames.get(variable) ?? variable]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  /**
   * Records that `variable` is not valid and what is allowed. The problem carries the
   * value, to be printed at start; for a variable read with `secret()`, it does not. A
   * variable given under its deprecated name (`renamed()`) is reported by that name, the
   * one the person set.
   */
  problem(variable: string, allowed: string): void {
    const name = this.oldNames.get(variable) ?? variable;
    if (this.secrets.has(variable)) this.problems.push({ variable: name, value: '', secret: true, allowed });
    else this.problems.push({ variable: name, value: this.env[name] ?? '', allowed });
  }

  /** Throws one `ConfigError` with every problem recorded so far, if there is any. */
  throwIfProblems(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }

  /**
   * `oldName` is the deprecated name of `variable`, accepted for one release: when only
   * the old one is set, its value is read as `variable`'s and a warning says to rename it;
   * both set is a problem (which one was meant?). Call it before reading `variable`.
   */
  renamed(oldName: string, variable: string): void {
    if (this.raw(oldName) === undefined) return;
    if (this.raw(variable) !== undefined) {
      this.problem(oldName, `unset: it is the old name of ${variable}, which is set too`);
      return;
    }
    this.oldNames.set(variable, oldName);
    this.warnings.push(`${oldName} is deprecated and will be ignored from the next release: rename it ${variable} (same value)`);
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

  /** A duration in whole milliseconds, from `min` to `max` (default a day). The variable's name must end in `_MS`. */
  milliseconds(variable: string, fallback: number, min: number, max = DAY_MS): number {
    if (!variable.endsWith('_MS')) throw new TypeError(`${variable} holds milliseconds: its name must end in _MS`);
    return this.integer(variable, fallback, min, max);
  }

  /** A TCP port to listen on; 0 takes any free one. */
  port(variable: string, fallback: number): number {
    const value = this.raw(variable);
    if (value === undefined) return fallback;
    const parsed = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
    if (parsed <= 65_535) return parsed;
    this.problem(variable, `an integer from 0 to 65535 (0: any free port; default ${fallback})`);
    return fallback;
  }

  /** An address to listen on: an IP address (`0.0.0.0` all IPv4, `::` all, `127.0.0.1` this machine only) or a host name. */
  host(variable: string, fallback: string): string {
    const value = this.raw(variable);
    if (value === undefined) return fallback;
    if (isIP(value) !== 0 || HOST_NAME.test(value)) return value;
    this.problem(
      variable,
      `an IP address to listen on (0.0.0.0 for all IPv4, :: for all, 127.0.0.1 for this machine only) or a host name (default ${fallback})`,
    );
    return fallback;
  }

  /** A number from 0 to 1 (`0.25`, `.25`, `1`). */
  fraction(variable: string, fallback: number): number {
    const value = this.raw(variable);
    if (value === undefined) return fallback;
    const parsed = DECIMAL.test(value) ? Number(value) : Number.NaN;
    if (parsed >= 0 && parsed <= 1) return parsed;
    this.problem(variable, `a fraction from 0 to 1 (default ${fallback})`);
    return fallback;
  }

  /** A plain decimal number (no exponent, no sign) from min to max; undefined when unset. */
  decimal(variable: string, min: number, max: number): number | undefined {
    const value = this.raw(variable);
    if (value === undefined) return undefined;
    const parsed = DECIMAL.test(value) ? Number(value) : Number.NaN;
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
