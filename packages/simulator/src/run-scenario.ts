import { offeredLoadOf } from './model.js';
import { type AlgorithmTuning, POLICY_NAMES, type PolicyName } from './policy.js';
import { ipHashMapper, moduloHashMapper, type RemapFractions, remapOnResize } from './remap.js';
import type { Scenario } from './scenarios.js';
import { type SimulationResult, simulate } from './simulate.js';
import { generateWorkload } from './workload.js';

/** Policies whose choice depends on the key: the ones for which key remapping matters. */
export const HASHING_POLICIES: readonly PolicyName[] = ['ip_hash'];

/** Remapping of the scenario's client IPs by one key-to-server scheme. */
export interface RemapReport extends RemapFractions {
  /** `ip_hash`, or `modulo_hash` for the seed's `hash(ip) % n`. */
  readonly scheme: string;
}

/** Every policy's result on one scenario, on identical traffic. */
export interface ScenarioReport {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly offeredLoad: number;
  readonly results: readonly SimulationResult[];
  /** For hashing policies present in `results`, plus the modulo baseline. */
  readonly remap: readonly RemapReport[];
}

export interface RunScenarioOptions {
  /** Default 1. */
  readonly seed?: number;
  /** Default: every policy (`POLICY_NAMES`), the oracle last. */
  readonly policies?: readonly PolicyName[];
}

/** Runs each policy on the scenario's workload for `seed` (one workload, shared by all). */
export function runScenario(scenario: Scenario, options: RunScenarioOptions = {}): ScenarioReport {
  const seed = options.seed ?? 1;
  const policies = options.policies ?? POLICY_NAMES;
  const workload = generateWorkload(scenario, seed);
  const results = policies.map((policy) => simulate(scenario, policy, { seed, workload, ...scenarioOptions(scenario) }));
  const remap: RemapReport[] = [];
  const hashing = policies.filter((policy) => HASHING_POLICIES.includes(policy));
  if (hashing.length > 0) {
    remap.push({ scheme: 'ip_hash', ...remapOnResize(workload.addresses, scenario.servers, ipHashMapper()) });
    remap.push({ scheme: 'modulo_hash', ...remapOnResize(workload.addresses, scenario.servers, moduloHashMapper) });
  }
  return { scenario, seed, offeredLoad: offeredLoadOf(scenario), results, remap };
}

/** The scenario's own simulate options (algorithm tuning, timeline), without undefined fields. */
function scenarioOptions(scenario: Scenario): { tuning?: AlgorithmTuning; timelineWindow?: number } {
  return {
    ...(scenario.tuning === undefined ? {} : { tuning: scenario.tuning }),
    ...(scenario.timelineWindow === undefined ? {} : { timelineWindow: scenario.timelineWindow }),
  };
}
