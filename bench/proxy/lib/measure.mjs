// Contenders measured side by side: each launched and warmed up once, then round r of every
// contender before round r+1 of any (interleaved), so a slow minute of the machine (another
// VM on the host, a thermal step) falls on every contender alike; /proc sampled per round.
import { join } from 'node:path';
import { freePort } from '../../../test-support/free-port.js';
import { cpuShares, cpuSnapshot, isNoisy, meanCpu } from './cpu-accounting.mjs';
import { median } from './median.mjs';
import { peakRssMiB } from './proc-stats.mjs';
import * as processes from './processes.mjs';
import { waitForOk } from './ready.mjs';
import { runWrk } from './wrk.mjs';

const fmt = (r) => `${Math.round(r.rps).toLocaleString('en-US')} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, errors ${r.errors}`;

const cores = (n) => n.toFixed(2);

/** The last few lines of a message or a process's output, on one line (errors come last). */
function lastLines(text, n = 3) {
  return text.trim().split('\n').slice(-n).join(' / ');
}

/**
 * Measures every contender: launch and warm-up each (in order), then `rounds` rounds,
 * interleaved, then the summaries, and every process stopped. A round during which
 * something outside the benchmark used the CPU is run again, at most `maxRedos` times per
 * contender. Returns one { id, label, status, note?, rounds?, discarded?, summary? } per
 * contender; never throws for a contender's fault.
 */
export async function measureAll(contenders, options) {
  const { rounds, log } = options;
  const sessions = [];
  try {
    for (const contender of contenders) sessions.push(await start(contender, options));
    for (let n = 1; n <= rounds; n++) {
      for (const session of sessions) if (session.result.status === 'ok') await round(session, n, options);
    }
    return sessions.map((session) => summarize(session, log));
  } finally {
    for (const session of sessions) {
      for (const companion of session.proc?.companions ?? []) await processes.stop(companion, 3000);
      if (session.proc) await processes.stop(session.proc, options.cpuProfDir ? 15000 : 3000);
    }
  }
}

async function start(contender, { backends, workDir, warmupSeconds, cpuProfDir, log }) {
  const { id, label } = contender;
  const session = { result: { id, label, status: 'ok', rounds: [], discarded: [] }, proc: null, url: '', backendPids: backends.map((b) => b.proc.pid) };
  const missing = contender.missing?.();
  if (missing) {
    log(`[${id}] skipped: ${missing}`);
    session.result = { id, label, status: 'not built', note: missing };
    return session;
  }
  let port = backends[0].port;
  try {
    if (contender.launch) {
      port = await freePort();
      session.proc = await contender.launch(
        port,
        backends.map((b) => b.hostPort),
        { dir: join(workDir, id), cpuProfDir },
      );
      try {
        await waitForOk(port, session.proc);
      } catch (error) {
        log(`[${id}] failed to start: ${error.message}`);
        session.result = { id, label, status: 'failed to start', note: `failed to start: ${lastLines(error.message)}` };
        return session;
      }
    }
    session.url = `http://127.0.0.1:${port}/`;
    log(`[${id}] ready on ${session.url}; warm-up ${warmupSeconds} s`);
    await runWrk(session.url, warmupSeconds);
  } catch (error) {
    log(`[${id}] failed: ${error.message}`);
    session.result = { id, label, status: 'failed', note: lastLines(error.message) };
  }
  return session;
}

/** Round `n` of one contender (redone while noisy, up to the contender's budget of redos). */
async function round(session, n, { seconds, rounds, maxRedos, log }) {
  const { result, proc, url, backendPids } = session;
  const companionPids = (proc?.companions ?? []).map((companion) => companion.pid);
  try {
    for (;;) {
      const before = cpuSnapshot(proc?.pid, backendPids, companionPids);
      const measured = await runWrk(url, seconds);
      measured.cpu = cpuShares(before, cpuSnapshot(proc?.pid, backendPids, companionPids));
      measured.noisy = isNoisy(measured.cpu);
      if (measured.noisy && result.discarded.length < maxRedos) {
        result.discarded.push(measured);
        log(
          `[${result.id}] round ${n}/${rounds} discarded (other CPU ${cores(measured.cpu.other)}, steal ${cores(measured.cpu.steal)} cores): ${fmt(measured)}`,
        );
        continue;
      }
      result.rounds.push(measured);
      log(
        `[${result.id}] round ${n}/${rounds}: ${fmt(measured)}${measured.noisy ? ` — noisy, other CPU ${cores(measured.cpu.other)}, steal ${cores(measured.cpu.steal)}` : ''}`,
      );
      return;
    }
  } catch (error) {
    log(`[${result.id}] failed: ${error.message}`);
    session.result = { id: result.id, label: result.label, status: 'failed', note: lastLines(error.message) };
  }
}

function summarize({ result, proc }, log) {
  if (result.status !== 'ok') return result;
  const cpu = meanCpu(result.rounds.map((r) => r.cpu));
  result.summary = {
    rps: median(result.rounds.map((r) => r.rps)),
    p50: median(result.rounds.map((r) => r.p50)),
    p99: median(result.rounds.map((r) => r.p99)),
    errors: result.rounds.reduce((sum, r) => sum + r.errors, 0),
    peakRssMiB: proc ? peakRssMiB(proc.pid) : NaN,
    cpu,
    noisyRounds: result.rounds.filter((r) => r.noisy).length,
  };
  if (proc?.done) result.note = `exited during the run: ${lastLines(proc.output())}`;
  log(
    `[${result.id}] median: ${fmt(result.summary)}; CPU in cores: proxy ${cores(cpu.proxy)}, ` +
      `backends ${cores(cpu.backends)}, wrk ${cores(cpu.wrk)}, ${cpu.viewer > 0 ? `viewer ${cores(cpu.viewer)}, ` : ''}other ${cores(cpu.other)}`,
  );
  return result;
}
