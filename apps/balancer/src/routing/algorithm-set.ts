import { ALGORITHM_NAMES, type Algorithm, type AlgorithmName, createAlgorithm } from '@lbpoc/algorithms';

/**
 * One instance of every algorithm, each with its own state, as `?algo=` can name any of
 * them per request. Latency feedback goes to all of them: how fast a backend answered is
 * a fact about the backend, whichever algorithm sent the request.
 */
export class AlgorithmSet {
  private readonly byName: ReadonlyMap<AlgorithmName, Algorithm>;
  private readonly all: readonly Algorithm[];
  private current: Algorithm;

  /** @param onDefaultChange told of every `setDefault` (worker threads follow the primary's default). */
  constructor(
    defaultName: AlgorithmName,
    now: () => number,
    seed: number,
    private readonly onDefaultChange?: (name: AlgorithmName) => void,
  ) {
    this.all = ALGORITHM_NAMES.map((name) => createAlgorithm(name, { now, seed }));
    this.byName = new Map(this.all.map((algorithm) => [algorithm.name, algorithm]));
    this.current = this.byName.get(defaultName)!;
  }

  /** The algorithm for requests that name none (`DEFAULT_ALGORITHM`, or as set at run time). */
  get default(): Algorithm {
    return this.current;
  }

  /**
   * Changes the default from the next request on. The algorithm instance keeps its state
   * (cursor, EWMAs), so switching back and forth does not reset it.
   */
  setDefault(name: AlgorithmName): void {
    this.current = this.get(name);
    this.onDefaultChange?.(name);
  }

  get(name: AlgorithmName): Algorithm {
    return this.byName.get(name)!;
  }

  observe(serverId: string, latencyMs: number): void {
    for (const algorithm of this.all) algorithm.observe(serverId, latencyMs);
  }
}
