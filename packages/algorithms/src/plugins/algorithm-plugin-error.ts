/** An algorithm module that cannot be used: it did not load, exports no plugin, or the plugin breaks a rule. */
export class AlgorithmPluginError extends Error {
  override readonly name = 'AlgorithmPluginError';
  readonly code = 'ERR_ALGORITHM_PLUGIN';
  /** The module as it was named (the path or package given to the loader). */
  readonly source: string;
  /** What is wrong, without the module's name. */
  readonly problem: string;

  constructor(source: string, problem: string, options?: { cause?: unknown }) {
    super(`algorithm module ${JSON.stringify(source)}: ${problem}`, options);
    this.source = source;
    this.problem = problem;
  }
}
