// What /proc says about a process tree: peak RSS (VmHWM) and CPU time; and the host's CPU.
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ on Linux

function read(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** pid and all its descendants, via /proc/<pid>/task/<tid>/children. */
export function treePids(pid) {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    const tasks = read(`/proc/${pids[i]}/task/${pids[i]}/children`);
    for (const child of tasks.split(/\s+/).filter(Boolean)) pids.push(Number(child));
  }
  return pids;
}

/** Sum of VmHWM (peak resident set) over the tree, in MiB. */
export function peakRssMiB(pid) {
  let kib = 0;
  for (const p of treePids(pid)) {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(read(`/proc/${p}/status`));
    if (match) kib += Number(match[1]);
  }
  return kib / 1024;
}

/** Fields of /proc/<pid>/stat after the ")" that closes comm; index 0 is field 3 (state). */
function statFields(pid) {
  const stat = read(`/proc/${pid}/stat`);
  return stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
}

/** User + system CPU seconds used so far by the tree (utime, stime: fields 14, 15). */
export function cpuSeconds(pid) {
  let ticks = 0;
  for (const p of treePids(pid)) {
    const fields = statFields(p);
    if (fields.length > 12) ticks += fields[11] + fields[12];
  }
  return ticks / CLOCK_TICKS;
}

/** CPU seconds of this process's children that have exited and been reaped (wrk runs):
 *  cutime, cstime, fields 16 and 17 of /proc/self/stat. */
export function reapedChildrenCpuSeconds() {
  const fields = statFields('self');
  return (fields[13] + fields[14]) / CLOCK_TICKS;
}

/** Host-wide CPU seconds from the "cpu" line of /proc/stat: `tasks` is user + nice + system
 *  (what processes are charged for), `busy` adds irq, softirq and steal; `steal` alone is the
 *  time the hypervisor ran another guest while this one wanted the CPU. */
export function hostCpu() {
  const [, ...values] = read('/proc/stat').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = values.map(Number);
  const tasks = user + nice + system;
  const busy = tasks + irq + softirq + steal;
  return { tasks: tasks / CLOCK_TICKS, busy: busy / CLOCK_TICKS, steal: steal / CLOCK_TICKS, total: (busy + idle + iowait) / CLOCK_TICKS };
}
