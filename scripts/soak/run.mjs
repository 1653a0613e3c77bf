#!/usr/bin/env node
/**
 * pnpm soak — the balancer under steady load for a long time, in front of three demo
 * backends: zero failed requests, flat memory, and nothing lost across a backend restart
 * and a traffic burst. Writes SOAK.md (figures and verdict) and exits 1 if the verdict fails.
 *
 *   pnpm soak                                   # 30 min at 50 requests/s, burst to 200/s
 *   SOAK_MINUTES=2 SOAK_REPORT=/tmp/soak.md pnpm soak
 *
 * SOAK_MINUTES, SOAK_RPS, SOAK_BURST_RPS, SOAK_MAX_GROWTH (0.1), SOAK_REPORT (SOAK.md),
 * SOAK_JSON (also write the raw result as JSON). Traffic goes to 127.0.0.1 only.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_BACKENDS, startLocalStack } from '../../test-support/local-stack.js';
import { createLoad, percentile } from './load.mjs';
import { heapByQuarter, memoryVerdict, rssBytes } from './memory.mjs';
import { readOptions } from './options.mjs';
import { writeReport } from './report.mjs';

// The demo backends, but the slow one at exp:40 rather than the demo's exp:80: the setup of
// the run SOAK.md records. Change it together with a new 30-minute run.
const BACKENDS = DEMO_BACKENDS.map((b) => (b.id === 'slow' ? { ...b, delay: 'exp:40' } : b));

const root = fileURLToPath(new URL('../..', import.meta.url));
const options = readOptions(process.env);
if (options.problems.length > 0) {
  process.stderr.write(`soak: ${options.problems.join('\nsoak: ')}\n`);
  process.exit(2);
}
const say = (line) => process.stdout.write(`[soak ${((performance.now() - t0) / 1000).toFixed(0).padStart(5)} s] ${line}\n`);
const sleepUntil = async (atS) => {
  const wait = t0 + atS * 1000 - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
};

let t0 = performance.now();
// The balancer runs with LOG_LEVEL info, as it does by default when deployed.
const stack = await startLocalStack({ backends: BACKENDS, balancerEnv: { LOG_LEVEL: 'info' }, nodeFlags: options.nodeFlags });
const { port, adminUrl: admin } = stack.balancer;

t0 = performance.now();
say(
  `${(options.durationS / 60).toFixed(1)} min at ${options.rps}/s; warm-up ${options.warmupS.toFixed(0)} s with a ${options.burstRps}/s burst at ${options.warmupBurstAtS.toFixed(0)} s; restart at ${options.restartAtS.toFixed(0)} s; ${options.burstRps}/s burst at ${options.burstAtS.toFixed(0)} s for ${options.burstS.toFixed(0)} s`,
);
const load = createLoad(`http://127.0.0.1:${port}`);
load.setRate(options.rps);

const samples = [];
const sampler = setInterval(() => {
  const bytes = rssBytes(stack.balancer.child.pid);
  if (bytes !== undefined) samples.push({ atS: (performance.now() - t0) / 1000, rssBytes: bytes });
}, options.sampleMs);
// Heap figures as Prometheus would scrape them (every 15 s): not part of the verdict, but
// they tell a growing heap (retained objects) from RSS that V8 or the allocator keeps.
const heap = [];
const scraper = setInterval(async () => {
  try {
    const text = await (await fetch(`${admin}/metrics`)).text();
    const value = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    const newSpace = Number(/^nodejs_heap_space_size_total_bytes\{space="new"\} (\S+)$/m.exec(text)?.[1]);
    heap.push({
      atS: (performance.now() - t0) / 1000,
      usedBytes: value('nodejs_heap_size_used_bytes'),
      totalBytes: value('nodejs_heap_size_total_bytes'),
      newSpaceBytes: newSpace,
    });
  } catch {}
}, 15_000);
const progress = setInterval(
  () => {
    const { sent, ok, failed } = load.stats;
    say(`sent ${sent}, ok ${ok}, failed ${failed}, balancer RSS ${((samples.at(-1)?.rssBytes ?? 0) / 1048576).toFixed(1)} MiB`);
  },
  Math.max(10_000, (options.durationS * 1000) / 20),
);

const events = {};
await sleepUntil(options.warmupBurstAtS);
load.setRate(options.burstRps, true);
say(`warm-up burst: ${options.burstRps}/s`);
await sleepUntil(options.warmupBurstAtS + options.burstS);
load.setRate(options.rps);
events.warmupBurst = { atS: options.warmupBurstAtS, seconds: options.burstS };

// The restart: the backend drains gracefully (SIGTERM), is down for a moment, then comes
// back on the same port; GETs to it in the meantime must be retried elsewhere, not lost.
await sleepUntil(options.restartAtS);
const victim = 1;
const restartStarted = performance.now();
const exitCode = await stack.restartBackend(victim, { pauseMs: 500 });
events.restart = { atS: options.restartAtS, backend: BACKENDS[victim].id, exitCode, downMs: Math.round(performance.now() - restartStarted) };
say(`restarted ${BACKENDS[victim].id} (exit ${exitCode}, down ${events.restart.downMs} ms)`);

await sleepUntil(options.burstAtS);
load.setRate(options.burstRps, true);
say(`burst: ${options.burstRps}/s`);
await sleepUntil(options.burstAtS + options.burstS);
load.setRate(options.rps);
events.burst = { atS: options.burstAtS, seconds: options.burstS };
say('burst over');

await sleepUntil(options.durationS);
clearInterval(sampler);
clearInterval(scraper);
clearInterval(progress);
await load.stop();

const retries = [...(await (await fetch(`${admin}/metrics`)).text()).matchAll(/^lbpoc_retries_total\{[^}]*\} (\d+)/gm)].reduce(
  (sum, m) => sum + Number(m[1]),
  0,
);
const { balancer: balancerExit } = await stack.stop();

const stats = load.stats;
const memory = memoryVerdict(samples, options.warmupS, options.maxGrowth);
const reasons = [];
if (stats.failed > 0) reasons.push(`${stats.failed} failed requests`);
if (!memory.ok)
  reasons.push(
    memory.growth === undefined ? memory.reason : `RSS grew ${(memory.growth * 100).toFixed(1)}% (allowed < ${(options.maxGrowth * 100).toFixed(0)}%)`,
  );
if (balancerExit !== 0) reasons.push(`the balancer exited ${balancerExit} on SIGTERM`);
const result = {
  startedAt: new Date(Date.now() - options.durationS * 1000).toISOString(),
  machine: `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}`,
  options,
  backends: BACKENDS,
  events,
  retries,
  load: {
    sent: stats.sent,
    ok: stats.ok,
    failed: stats.failed,
    failures: Object.fromEntries(stats.failures),
    p50: percentile(stats.latenciesMs, 50),
    p99: percentile(stats.latenciesMs, 99),
    burstP99: percentile(stats.burstLatenciesMs, 99),
  },
  rss: { min: Math.min(...samples.map((s) => s.rssBytes)), max: Math.max(...samples.map((s) => s.rssBytes)) },
  memory,
  heap: heapByQuarter(heap, memory.quarters),
  samples,
  verdict: { ok: reasons.length === 0, reasons },
};

if (options.report !== 'none') writeReport(resolve(root, options.report), result);
if (options.json !== undefined) writeFileSync(options.json, JSON.stringify(result));
say(
  `${result.verdict.ok ? 'PASS' : 'FAIL'}: ${stats.sent} sent, ${stats.failed} failed, ${retries} retried by the balancer; RSS Q1 ${(memory.quarters[0]?.meanBytes / 1048576).toFixed(1)} MiB -> Q4 ${(memory.quarters[3]?.meanBytes / 1048576).toFixed(1)} MiB (${((memory.growth ?? Number.NaN) * 100).toFixed(1)}%)${options.report === 'none' ? '' : `; report: ${options.report}`}`,
);
process.exitCode = result.verdict.ok ? 0 : 1;
