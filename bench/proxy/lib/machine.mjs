// The machine and tool versions, for the report.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { hostCpu } from './proc-stats.mjs';

function firstLine(command, args) {
  const { stdout = '', stderr = '' } = spawnSync(command, args, { encoding: 'utf8', timeout: 5000 });
  return (stdout + stderr).split('\n').find((line) => line.trim()) ?? 'unknown';
}

/** Share of all cores idle over the next `ms` (a busy machine skews every figure). */
function idleShare(ms) {
  const before = hostCpu();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  const after = hostCpu();
  return 1 - (after.busy - before.busy) / (after.total - before.total);
}

export function describeMachine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    wrk: firstLine('wrk', ['-v']).replace(/\s+Copyright.*$/, ''),
    haproxy: firstLine('haproxy', ['-v']).replace(/\s+-\s+https?:.*$/, ''),
    nginx: firstLine('nginx', ['-v']).replace(/^nginx version:\s*/, ''),
    date: new Date().toISOString(),
    idleBeforeRun: idleShare(1000),
  };
}
