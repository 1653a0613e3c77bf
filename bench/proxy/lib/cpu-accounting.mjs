// Where the CPU went during the measured rounds, in cores (1.0 = one core busy):
// the proxy tree, the backends, wrk, a contender's companion (the status page viewer), and `other` — anything on the host that is not this
// benchmark (another job running at the same time skews every figure of that contender).
import { cpuSeconds, hostCpu, reapedChildrenCpuSeconds } from './proc-stats.mjs';

/** `other`, or the hypervisor's steal, at or above this many cores makes a round noisy. */
export const OTHER_CPU_LIMIT = 0.1;

/** Whether something outside the benchmark took CPU during the round: another job in this VM, or another guest on the host. */
export function isNoisy(cpu) {
  return cpu.other >= OTHER_CPU_LIMIT || cpu.steal >= OTHER_CPU_LIMIT;
}

export function cpuSnapshot(proxyPid, backendPids, companionPids = []) {
  const harness = process.cpuUsage();
  return {
    at: performance.now(),
    proxy: proxyPid ? cpuSeconds(proxyPid) : 0,
    backends: backendPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0),
    wrk: reapedChildrenCpuSeconds(),
    viewer: companionPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0),
    harness: (harness.user + harness.system) / 1e6,
    host: hostCpu(),
  };
}

export function cpuShares(before, after) {
  const wall = (after.at - before.at) / 1000;
  const delta = (key) => (after[key] - before[key]) / wall;
  const tasks = (after.host.tasks - before.host.tasks) / wall;
  const known = delta('proxy') + delta('backends') + delta('wrk') + delta('viewer') + delta('harness');
  return {
    proxy: delta('proxy'),
    backends: delta('backends'),
    wrk: delta('wrk'),
    viewer: delta('viewer'),
    other: Math.max(0, tasks - known),
    hostBusy: (after.host.busy - before.host.busy) / wall,
    steal: (after.host.steal - before.host.steal) / wall,
  };
}

/** Mean of each share over rounds of equal length. */
export function meanCpu(shares) {
  const mean = (key) => shares.reduce((sum, s) => sum + s[key], 0) / shares.length;
  return {
    proxy: mean('proxy'),
    backends: mean('backends'),
    wrk: mean('wrk'),
    viewer: mean('viewer'),
    other: mean('other'),
    hostBusy: mean('hostBusy'),
    steal: mean('steal'),
  };
}
