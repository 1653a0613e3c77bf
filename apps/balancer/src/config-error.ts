/** One bad environment variable: which, what it held, and what would have been accepted. */
export interface EnvProblem {
  readonly variable: string;
  /** What it held; empty for a secret, whose value is never repeated. */
  readonly value: string;
  readonly allowed: string;
  /** A secret (`EnvReader.secret`): `allowed` says what is wrong with it, the value is not shown. */
  readonly secret?: true;
}

/** Every bad environment variable found at start, reported together so one restart fixes them all. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'ERR_BALANCER_CONFIG';
  readonly problems: readonly EnvProblem[];

  constructor(problems: readonly EnvProblem[]) {
    super(problems.map((p) => `${p.variable}=${p.secret ? '(secret, not shown)' : JSON.stringify(p.value)} is not valid: ${p.allowed}`).join('\n'));
    this.problems = problems;
  }
}
