import { readFileSync } from 'node:fs';

// Soak options from the environment, checked like the apps check theirs: a bad value
// stops the run with the variable, its value and what is allowed.

const SPEC = {
  SOAK_MINUTES: { default: 30, min: 0.5, max: 24 * 60, what: 'length of the run in minutes' },
  SOAK_RPS: { default: 50, min: 1, max: 2000, what: 'steady request rate' },
  SOAK_BURST_RPS: { default: 200, min: 1, max: 5000, what: 'request rate during the burst' },
  SOAK_MAX_GROWTH: { default: 0.1, min: 0, max: 10, what: 'allowed growth of mean RSS, last quarter over first (0.1 = 10%)' },
};

export function readOptions(env) {
  const problems = [];
  const options = {};
  for (const [name, spec] of Object.entries(SPEC)) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') {
      options[name] = spec.default;
      continue;
    }
    const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(value >= spec.min && value <= spec.max))
      problems.push(`${name}=${JSON.stringify(raw)} is not valid: ${spec.what}, a number from ${spec.min} to ${spec.max} (default ${spec.default})`);
    options[name] = value;
  }
  const durationS = options.SOAK_MINUTES * 60;
  // Warm-up: JIT, heap growth to its working size and the keep-alive pools settle first.
  // It includes a burst: V8 enlarges its young generation for peak load and may keep it
  // (measured: +8 MiB new space for a 200/s burst, old space and heap used level), so a
  // first quarter before any burst and a last one after would compare V8's sizing
  // history, not growth. Having reached peak size before Q1, the quarters are comparable.
  const warmupS = Math.min(240, Math.max(20, durationS * 0.15));
  const windowS = durationS - warmupS;
  const burstS = Math.min(60, Math.max(5, windowS * 0.08));
  return {
    problems,
    durationS,
    warmupS,
    rps: options.SOAK_RPS,
    burstRps: options.SOAK_BURST_RPS,
    maxGrowth: options.SOAK_MAX_GROWTH,
    // Sample RSS often enough that even a short run has dozens of samples per quarter.
    sampleMs: Math.round(Math.min(5000, Math.max(250, (durationS * 1000) / 240))),
    warmupBurstAtS: Math.max(2, warmupS * 0.35),
    // Both disturbances fall in the middle quarters, so the first and last quarters compare steady states.
    restartAtS: warmupS + windowS * 0.3,
    burstAtS: warmupS + windowS * 0.55,
    burstS,
    nodeFlags: env.SOAK_NODE_FLAGS === undefined ? deployedFlags() : env.SOAK_NODE_FLAGS.split(/\s+/).filter(Boolean),
    report: env.SOAK_REPORT?.trim() || 'SOAK.md',
    json: env.SOAK_JSON?.trim() || undefined,
  };
}

/**
 * The balancer's flags as deployed (apps/balancer/node-flags.json, which the Dockerfile,
 * the demo and the benchmark use), plus a young generation that starts at its deployed
 * maximum. V8 doubles the young generation (1, 2, 4, 8 MiB per semi-space) whenever
 * enough objects have survived, at times that depend on the load's history, and each
 * step shows in RSS: bounded, not a leak, but it would decide a 30-minute comparison by
 * chance. Starting at the maximum, RSS shows what the balancer retains.
 * SOAK_NODE_FLAGS replaces them (empty: V8's defaults).
 */
function deployedFlags() {
  const flags = JSON.parse(readFileSync(new URL('../../apps/balancer/node-flags.json', import.meta.url), 'utf8'));
  const max = flags.map((flag) => /^--max-semi-space-size=(\d+)$/.exec(flag)?.[1]).find((value) => value !== undefined);
  return max === undefined ? flags : [...flags, `--min-semi-space-size=${max}`];
}
