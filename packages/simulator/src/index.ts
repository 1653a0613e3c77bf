// The public API: run a model or a named scenario, render the report, measure key
// remapping, and the types of everything these take and return. The building blocks
// (event queue, samplers, random streams, table formatting) stay inside the package.
export type { ArrivalProcess } from './arrivals.js';
export { type ClientPopulation, clientAddresses } from './client-population.js';
export type { LatencySummary } from './latency-summary.js';
export { type CapacityChange, capacityOf, offeredLoadOf, type ServerSpec, type SimulationModel } from './model.js';
export { type AlgorithmTuning, ORACLE_NAME, POLICY_NAMES, type Policy, type PolicyContext, type PolicyName } from './policy.js';
export { ipHashMapper, type KeyMapper, moduloHashMapper, type RemapFractions, remapFraction, remapOnResize } from './remap.js';
export { renderReport, renderReports } from './render-report.js';
export type { ReportingModel } from './reporting.js';
export { type RemapReport, type RunScenarioOptions, runScenario, type ScenarioReport } from './run-scenario.js';
export { createScenario, SCENARIO_NAMES, type Scenario, type ScenarioName, type ScenarioOptions } from './scenarios.js';
export type { ServiceTimeDistribution } from './service-time.js';
export { type PickTimeline, type PolicySource, type SimulateOptions, type SimulationResult, simulate } from './simulate.js';
export type { SimulatedServer } from './simulated-server.js';
export { generateWorkload, type Workload } from './workload.js';
