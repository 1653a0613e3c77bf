import { ALGORITHM_NAMES, type AlgorithmName, type AlgorithmOptions, type AlgorithmPlugin, createAlgorithm } from '@lbpoc/algorithms';
import { JsqOracle } from './jsq-oracle.js';
import type { SimulatedServer } from './simulated-server.js';

/** The reference policy's name; not an algorithm name, so it can never be confused with one. */
export const ORACLE_NAME = 'jsq_oracle';

/** Every built-in policy the simulator can run: each algorithm by its wire name, then the oracle. */
export const POLICY_NAMES: readonly PolicyName[] = [...ALGORITHM_NAMES, ORACLE_NAME];

export type PolicyName = AlgorithmName | typeof ORACLE_NAME;

/** What the simulator needs of a policy; every `Algorithm` from @lbpoc/algorithms is one. */
export interface Policy {
  readonly name: string;
  /** For `adaptive`: which algorithm made the last pick. Counted per run when present. */
  readonly lastUsed?: string;
  pick(servers: readonly SimulatedServer[], key?: string): SimulatedServer | undefined;
  observe(serverId: string, latency: number): void;
}

/** What a run injects into the policy it creates: its seeded randomness and the simulated clock. */
export interface PolicyContext {
  readonly random: () => number;
  readonly now: () => number;
}

/** Options passed through to `createAlgorithm` and a plugin's `create` (randomness and clock come from the run). */
export type AlgorithmTuning = Omit<AlgorithmOptions, 'random' | 'seed' | 'now'>;

/** True for the names in `POLICY_NAMES`. */
export function isPolicyName(value: unknown): value is PolicyName {
  return typeof value === 'string' && (POLICY_NAMES as readonly string[]).includes(value);
}

/**
 * A fresh policy: the JSQ oracle, the built-in algorithm of that wire name built by
 * `createAlgorithm`, or an algorithm plugin's instance (`plugin.create`); each given the
 * run's random source and clock, and `tuning`, as the balancer gives them.
 * @throws UnknownAlgorithmError for a name that is neither the oracle's nor an algorithm's
 */
export function createPolicy(source: PolicyName | AlgorithmPlugin, context: PolicyContext, tuning: AlgorithmTuning = {}): Policy {
  if (source === ORACLE_NAME) return new JsqOracle(context.random);
  const options: AlgorithmOptions = { ...tuning, random: context.random, now: context.now };
  return typeof source === 'object' ? source.create(options) : createAlgorithm(source, options);
}
