// One contender, start to stop: launch, wait for 200, warm up, N rounds of wrk, sample /proc.
import { join } from 'node:path';
import { freePort } from '../../../test-support/free-port.js';
import { cpuShares, cpuSnapshot, meanCpu, OTHER_CPU_LIMIT } from './cpu-accounting.mjs';
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
 * Returns { id, label, status, note?, rounds?, discarded?, summary? }; never throws for a
 * contender's fault. A round during which something outside the benchmark used the CPU is
 * run again, at most `maxRedos` times per contender.
 */
export async function measure(contender, { backends, workDir, seconds, warmupSeconds, rounds, maxRedos, cpuProfDir, log }) {
  const { id, label } = contender;
  const result = { id, label, status: 'ok' };
  const missing = contender.missing?.();
  if (missing) {
    log(`[${id}] skipped: ${missing}`);
    return { ...result, status: 'not built', note: missing };
  }

  let proc = null;
  let port = backends[0].port;
  const backendPids = backends.map((b) => b.proc.pid);
  try {
    if (contender.launch) {
      port = await freePort();
      proc = await contender.launch(
        port,
        backends.map((b) => b.hostPort),
        { dir: join(workDir, id), cpuProfDir },
      );
      try {
        await waitForOk(port, proc);
      } catch (error) {
        log(`[${id}] failed to start: ${error.message}`);
        return { ...result, status: 'failed to start', note: `failed to start: ${lastLines(error.message)}` };
      }
    }
    const url = `http://127.0.0.1:${port}/`;
    log(`[${id}] ready on ${url}; warm-up ${warmupSeconds} s`);
    await runWrk(url, warmupSeconds);

    result.rounds = [];
    result.discarded = [];
    while (result.rounds.length < rounds) {
      const before = cpuSnapshot(proc?.pid, backendPids);
      const round = await runWrk(url, seconds);
      round.cpu = cpuShares(before, cpuSnapshot(proc?.pid, backendPids));
      round.noisy = round.cpu.other >= OTHER_CPU_LIMIT;
      const n = result.rounds.length + 1;
      if (round.noisy && result.discarded.length < maxRedos) {
        result.discarded.push(round);
        log(`[${id}] round ${n}/${rounds} discarded (other CPU ${cores(round.cpu.other)} cores): ${fmt(round)}`);
        continue;
      }
      result.rounds.push(round);
      log(`[${id}] round ${n}/${rounds}: ${fmt(round)}${round.noisy ? ` — noisy, other CPU ${cores(round.cpu.other)}` : ''}`);
    }
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
      `[${id}] median: ${fmt(result.summary)}; CPU in cores: proxy ${cores(cpu.proxy)}, ` +
        `backends ${cores(cpu.backends)}, wrk ${cores(cpu.wrk)}, other ${cores(cpu.other)}`,
    );
    return result;
  } catch (error) {
    log(`[${id}] failed: ${error.message}`);
    return { ...result, status: 'failed', note: lastLines(error.message) };
  } finally {
    if (proc) await processes.stop(proc, cpuProfDir ? 15000 : 3000);
  }
}
