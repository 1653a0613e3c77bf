/** One bad environment variable: which, what it held, and what would have been accepted. */
export interface EnvProblem {
  readonly variable: string;
  /** What it held; empty for a secret, whose value is never repeated. */
  readonly value: string;
  readonly allowed: string;
  /** A secret (`EnvReader.secret`): `allowed` says what is wrong with it, the value is not shown. */
  readonly secret?: true;
}

/**
 * Every bad environment variable found at start, reported together so one restart fixes
 * them all: one line each, naming the variable, its value and what is allowed, because it
 * is printed as-is to whoever started the process.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'ERR_LBPOC_CONFIG';
  readonly problems: readonly EnvProblem[];

  constructor(problems: readonly EnvProblem[]) {
    super(problems.map(describeProblem).join('\n'));
    this.problems = problems;
  }
}

/** `VARIABLE="value" is not valid: what is allowed`, the value left out for a secret. */
function describeProblem(problem: EnvProblem): string {
  return `${problem.variable}=${problem.secret ? '(secret, not shown)' : JSON.stringify(problem.value)} is not valid: ${problem.allowed}`;
}
