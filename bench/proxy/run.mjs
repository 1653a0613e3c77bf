// pnpm bench:proxy — the same wrk load through each proxy in front of the same three backends.
//   BENCH_SECONDS=10          seconds per measured round
//   BENCH_ROUNDS=5            measured rounds per contender, interleaved; medians reported
//                             (five: round-to-round noise on these shared VMs is 15-30%)
//   BENCH_WARMUP_SECONDS=2    warm-up per contender
//   BENCH_MAX_REDOS=2         noisy rounds (another job or guest using the CPU) redone per contender
//   BENCH_ONLY=lbpoc,haproxy  run a subset (prints only; BENCHMARKS.md and results.json untouched)
//   BENCH_REF_LBPOC=<path to another build's apps/balancer/dist/main.js> (BENCH_REF_LABEL=<name>); adds it with WORKERS=1 and 2
//                             adds that build as contender `lbpoc-ref`, for an A/B in one run
//   BENCH_CPU_PROF=1 or --cpu-prof   profile the lbpoc balancer, write profile-top.txt (prints only)
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBackends } from './lib/backends.mjs';
import { CONTENDERS, REPO_ROOT } from './lib/contenders.mjs';
import { formatTop, topSelfTime } from './lib/cpuprofile.mjs';
import { evaluateGoals } from './lib/goals.mjs';
import { describeMachine } from './lib/machine.mjs';
import { measureAll } from './lib/measure.mjs';
import * as processes from './lib/processes.mjs';
import { goalLines, notes, section, table, writeSection } from './lib/report.mjs';
import { wrkCommand } from './lib/wrk.mjs';

const here = (relative) => fileURLToPath(new URL(relative, import.meta.url));
/** An integer knob from the environment (unset or blank: `fallback`); anything else stops the run, naming it. */
function integerEnv(name, fallback, min, max) {
  const text = process.env[name]?.trim();
  if (!text) return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (value >= min && value <= max) return value;
  console.error(`${name}=${JSON.stringify(text)} is not valid: an integer from ${min} to ${max} (default ${fallback})`);
  process.exit(2);
}
const seconds = integerEnv('BENCH_SECONDS', 10, 1, 600);
const warmupSeconds = integerEnv('BENCH_WARMUP_SECONDS', 2, 0, 600);
const rounds = integerEnv('BENCH_ROUNDS', 5, 1, 50);
const maxRedos = integerEnv('BENCH_MAX_REDOS', 2, 0, 20);
const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',').map((s) => s.trim()) : null;
const cpuProf = process.env.BENCH_CPU_PROF === '1' || process.argv.includes('--cpu-prof');
const log = (line) => console.log(line);

const unknown = only?.filter((id) => !CONTENDERS.some((c) => c.id === id)) ?? [];
if (unknown.length) {
  console.error(`BENCH_ONLY: unknown contender(s) ${unknown.join(', ')}; known: ${CONTENDERS.map((c) => c.id).join(', ')}`);
  process.exit(2);
}
const selected = CONTENDERS.filter((c) => !only || only.includes(c.id));
const cpuProfDir = cpuProf ? here('./cpu-profiles/') : null;

processes.killAllOnExit();
const machine = describeMachine();
const method = {
  wrk: wrkCommand('http://127.0.0.1:<port>/', seconds).join(' '),
  seconds,
  warmupSeconds,
  rounds,
  maxRedos,
  backends: 3,
};
log(`bench:proxy — ${selected.map((c) => c.id).join(', ')}; ${rounds} x ${seconds} s + ${warmupSeconds} s warm-up each`);
log(
  `${machine.cpu}, ${machine.cores} cores (${Math.round(machine.idleBeforeRun * 100)}% idle before the run); Node ${machine.node}; ${machine.wrk}; ${machine.haproxy}; ${machine.nginx}`,
);

const workDir = mkdtempSync(join(tmpdir(), 'lbpoc-bench-proxy-'));
const results = [];
let aborted = false;
try {
  if (cpuProfDir) {
    rmSync(cpuProfDir, { recursive: true, force: true });
    mkdirSync(cpuProfDir, { recursive: true });
  }
  const backends = await startBackends(workDir);
  log(`backends: ${backends.map((b) => b.hostPort).join(', ')}`);
  results.push(...(await measureAll(selected, { backends, workDir, seconds, warmupSeconds, rounds, maxRedos, cpuProfDir, log })));
} catch (error) {
  console.error(`bench:proxy aborted: ${error.stack ?? error}`);
  process.exitCode = 1;
  aborted = true;
} finally {
  await processes.stopAll();
  rmSync(workDir, { recursive: true, force: true });
}

const byId = Object.fromEntries(results.map((r) => [r.id, r]));
const goals = evaluateGoals(byId, { cores: machine.cores });
log(`\n${table(results)}\n\nGoals:\n${goalLines(goals)}`);
for (const line of notes(results)) log(`note — ${line}`);

if (cpuProfDir && byId.lbpoc?.status === 'ok') {
  const profiles = readdirSync(cpuProfDir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(cpuProfDir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (profiles.length === 0) {
    log('\n--cpu-prof: the balancer wrote no .cpuprofile (did it exit cleanly on SIGTERM?)');
  } else {
    const text = formatTop(topSelfTime(profiles[0]), profiles[0].slice(REPO_ROOT.length));
    writeFileSync(here('./profile-top.txt'), text);
    log(`\n${text}\nwritten to bench/proxy/profile-top.txt`);
  }
}

if (only || cpuProf || aborted) {
  log(`\n${only ? 'BENCH_ONLY' : cpuProf ? '--cpu-prof' : 'aborted run'}: BENCHMARKS.md and results.json left untouched.`);
} else {
  writeFileSync(here('./results.json'), `${JSON.stringify({ machine, method, results, goals }, null, 2)}\n`);
  writeSection(join(REPO_ROOT, 'BENCHMARKS.md'), section({ machine, method, results, goals }));
  log('\nwrote BENCHMARKS.md and bench/proxy/results.json');
}
