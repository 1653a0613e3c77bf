import { ALGORITHM_NAMES } from './types.js';

/** An algorithm name that is not one of `ALGORITHM_NAMES`. */
export class UnknownAlgorithmError extends Error {
  override readonly name = 'UnknownAlgorithmError';
  readonly code = 'ERR_UNKNOWN_ALGORITHM';
  /** The name that was asked for, as given. */
  readonly value: unknown;
  /** Every valid name. */
  readonly allowed: readonly string[] = ALGORITHM_NAMES;

  constructor(value: unknown) {
    super(`unknown algorithm ${JSON.stringify(String(value))}; valid names: ${ALGORITHM_NAMES.join(', ')}`);
    this.value = value;
  }
}

/** An option passed to an algorithm factory that cannot work (for example a missing clock). */
export class InvalidAlgorithmOptionError extends Error {
  override readonly name = 'InvalidAlgorithmOptionError';
  readonly code = 'ERR_INVALID_ALGORITHM_OPTION';
  readonly option: string;

  constructor(option: string, message: string) {
    super(`${option}: ${message}`);
    this.option = option;
  }
}
