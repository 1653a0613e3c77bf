export { type ArrivalProcess, createArrivalSampler, meanArrivalRate } from './arrivals.js';
export { clientAddresses, type ClientPopulation, createClientSampler, formatIPv4 } from './client-population.js';
export { EventQueue } from './event-queue.js';
export { FifoQueue } from './fifo-queue.js';
export { JsqOracle } from './jsq-oracle.js';
export { type LatencySummary, percentile, summarizeLatencies } from './latency-summary.js';
export { capacityOf, offeredLoadOf, type ServerSpec, type SimulationModel, validateModel, warmupOf } from './model.js';
export {
  type AlgorithmTuning,
  createPolicy,
  isPolicyName,
  ORACLE_NAME,
  type Policy,
  type PolicyContext,
  type PolicyName,
  POLICY_NAMES,
} from './policy.js';
export { deriveSeed, STREAMS, type StreamName, streamRandom } from './random-streams.js';
export {
  ipHashMapper,
  type KeyMapper,
  moduloHashMapper,
  type RemapFractions,
  remapFraction,
  remapOnResize,
} from './remap.js';
export { renderReport, renderReports } from './render-report.js';
export {
  HASHING_POLICIES,
  type RemapReport,
  runScenario,
  type RunScenarioOptions,
  type ScenarioReport,
} from './run-scenario.js';
export {
  createScenario,
  DEFAULT_REQUESTS,
  isScenarioName,
  type Scenario,
  SCENARIO_NAMES,
  type ScenarioName,
  type ScenarioOptions,
} from './scenarios.js';
export { createServiceTimeSampler, exponential, meanServiceTime, type ServiceTimeDistribution } from './service-time.js';
export { SimulatedServer } from './simulated-server.js';
export { type PolicySource, type SimulateOptions, simulate, type SimulationResult } from './simulate.js';
export { formatTable } from './text-table.js';
export { generateWorkload, type Workload } from './workload.js';
