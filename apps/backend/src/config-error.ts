/**
 * One environment variable that cannot be used. The message names the variable, the
 * value it had and what is allowed, because it is printed as-is to whoever started the
 * process, and that person should not need to read the source to fix it.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly variable: string;
  readonly value: string;
  readonly allowed: string;

  constructor(variable: string, value: string, allowed: string) {
    super(`${variable}=${JSON.stringify(value)} is not valid: ${allowed}`);
    this.variable = variable;
    this.value = value;
    this.allowed = allowed;
  }
}
