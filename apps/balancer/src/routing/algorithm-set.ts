import {
  ALGORITHM_NAMES,
  type Algorithm,
  type AlgorithmPlugin,
  createAlgorithm,
  createRandom,
  guardPluginAlgorithm,
  isLoadAware,
  type PluginAlgorithm,
  type PluginFault,
} from '@lbpoc/algorithms';

export interface AlgorithmSetOptions {
  /** The algorithm plugins of `ALGORITHM_MODULES`, loaded and checked. */
  readonly plugins?: readonly AlgorithmPlugin[];
  /** Told of every `setDefault` (worker threads follow the primary's default). */
  readonly onDefaultChange?: (name: string) => void;
  /** Told of every fault of a plugin's code at run time (the request was served by least connections instead). */
  readonly onPluginFault?: (fault: PluginFault) => void;
}

/**
 * One instance of every algorithm (the built-in ones, then the plugins of
 * `ALGORITHM_MODULES`), each with its own state, as `?algo=` can name any of them per
 * request. Latency feedback goes to all of them: how fast a backend answered is a fact
 * about the backend, whichever algorithm sent the request.
 */
export class AlgorithmSet {
  /** Every wire name `?algo=` accepts, built-in ones first (the order of listings and of the 400's `allowed`). */
  readonly names: readonly string[];
  /** The algorithms that read the backends' load reports: while one is in use, the backends are probed. */
  readonly loadAware: readonly string[];
  /** The plugins' instances and the gauges each declared, for `lbpoc_algorithm_gauge`. */
  readonly plugins: readonly { readonly algorithm: PluginAlgorithm; readonly gauges: readonly string[] }[];
  private readonly byName: ReadonlyMap<string, Algorithm>;
  private readonly all: readonly Algorithm[];
  private current: Algorithm;

  private readonly onDefaultChange: ((name: string) => void) | undefined;

  /** @param defaultName a name of `names` (the configuration was checked against them) */
  constructor(defaultName: string, now: () => number, seed: number, options: AlgorithmSetOptions = {}) {
    const { plugins = [], onPluginFault = () => {} } = options;
    this.onDefaultChange = options.onDefaultChange;
    const builtIn = ALGORITHM_NAMES.map((name) => createAlgorithm(name, { now, seed }));
    // A plugin gets its own seeded random source as well: it need not build one (nor reach for Math.random).
    // Each instance is guarded: code from outside that throws or answers nonsense on a request
    // must not take the request (or the worker) down; least connections picks in its place.
    this.plugins = plugins.map((plugin) => ({
      algorithm: guardPluginAlgorithm(plugin.create({ now, seed, random: createRandom(seed) }), {
        fallback: createAlgorithm('least_connections'),
        onFault: onPluginFault,
      }),
      gauges: plugin.gauges ?? [],
    }));
    this.all = [...builtIn, ...this.plugins.map((plugin) => plugin.algorithm)];
    this.byName = new Map(this.all.map((algorithm) => [algorithm.name, algorithm]));
    this.names = this.all.map((algorithm) => algorithm.name);
    this.loadAware = [
      ...builtIn.filter(isLoadAware).map((algorithm) => algorithm.name),
      ...plugins.filter((plugin) => plugin.loadAware).map((plugin) => plugin.name),
    ];
    const current = this.byName.get(defaultName);
    if (current === undefined) throw new RangeError(`default algorithm ${JSON.stringify(defaultName)} is not one of ${this.names.join(', ')}`);
    this.current = current;
  }

  /** The algorithm for requests that name none (`DEFAULT_ALGORITHM`, or as set at run time). */
  get default(): Algorithm {
    return this.current;
  }

  /**
   * Changes the default from the next request on. The algorithm instance keeps its state
   * (cursor, EWMAs), so switching back and forth does not reset it.
   * @throws RangeError for a name not in `names` (callers check with `has` first)
   */
  setDefault(name: string): void {
    const algorithm = this.get(name);
    if (algorithm === undefined) throw new RangeError(`unknown algorithm ${JSON.stringify(name)}`);
    this.current = algorithm;
    this.onDefaultChange?.(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  get(name: string): Algorithm | undefined {
    return this.byName.get(name);
  }

  observe(serverId: string, latencyMs: number): void {
    for (const algorithm of this.all) algorithm.observe(serverId, latencyMs);
  }
}
