import type { AlgorithmPlugin } from '@lbpoc/algorithms';
import { offeredLoadOf } from './model.js';
import { checkPluginNames } from './plugin-names.js';
import { type AlgorithmTuning, ORACLE_NAME, POLICY_NAMES, type PolicyName } from './policy.js';
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
  /** The algorithm plugins the run was given (their rows are in `results`, by name); absent when none. */
  readonly plugins?: readonly AlgorithmPlugin[];
}

export interface RunScenarioOptions {
  /** Default 1. */
  readonly seed?: number;
  /** Default: every policy (`POLICY_NAMES`), the oracle last. */
  readonly policies?: readonly PolicyName[];
  /**
   * Algorithm plugins (as `loadAlgorithmPlugins` returns them) to run too, each built as the
   * built-in algorithms are (`plugin.create({ ...tuning, random, now })`); their rows come
   * just before the oracle's, or last when `policies` leaves the oracle out. Default none.
   */
  readonly plugins?: readonly AlgorithmPlugin[];
}

/** Runs each policy, then each plugin, on the scenario's workload for `seed` (one workload, shared by all). */
export function runScenario(scenario: Scenario, options: RunScenarioOptions = {}): ScenarioReport {
  const seed = options.seed ?? 1;
  const policies = options.policies ?? POLICY_NAMES;
  const plugins = options.plugins ?? [];
  checkPluginNames(plugins);
  const oracleAt = policies.indexOf(ORACLE_NAME);
  const runs: (PolicyName | AlgorithmPlugin)[] =
    oracleAt < 0 ? [...policies, ...plugins] : [...policies.slice(0, oracleAt), ...plugins, ...policies.slice(oracleAt)];
  const workload = generateWorkload(scenario, seed);
  const results = runs.map((policy) => simulate(scenario, policy, { seed, workload, ...scenarioOptions(scenario) }));
  const remap: RemapReport[] = [];
  const hashing = policies.filter((policy) => HASHING_POLICIES.includes(policy));
  if (hashing.length > 0) {
    remap.push({ scheme: 'ip_hash', ...remapOnResize(workload.addresses, scenario.servers, ipHashMapper()) });
    remap.push({ scheme: 'modulo_hash', ...remapOnResize(workload.addresses, scenario.servers, moduloHashMapper) });
  }
  const report: ScenarioReport = { scenario, seed, offeredLoad: offeredLoadOf(scenario), results, remap };
  return plugins.length > 0 ? { ...report, plugins } : report;
}

/** The scenario's own simulate options (algorithm tuning, timeline), without undefined fields. */
function scenarioOptions(scenario: Scenario): { tuning?: AlgorithmTuning; timelineWindow?: number } {
  return {
    ...(scenario.tuning === undefined ? {} : { tuning: scenario.tuning }),
    ...(scenario.timelineWindow === undefined ? {} : { timelineWindow: scenario.timelineWindow }),
  };
}
