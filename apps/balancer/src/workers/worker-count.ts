import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { EnvReader } from '@lbpoc/service-kit';

/** More worker threads than this is a typo, not a machine. */
export const MAX_WORKERS = 64;

/**
 * `WORKERS`: how many threads serve the traffic port. A number (1 to MAX_WORKERS; 1 is a
 * single thread, no primary), or `auto` (the default): one per core this process may use,
 * which is the smaller of the cores it is scheduled on and its cgroup CPU limit (a
 * container with `cpus: 2` gets 2, whatever the host has). nginx (`worker_processes auto`)
 * and HAProxy (one thread per CPU) default the same way: a load balancer that uses one
 * core of many is outgrown before its backends are.
 */
export function readWorkers(read: EnvReader): number {
  const raw = read.raw('WORKERS');
  if (raw === undefined || raw === 'auto') return autoWorkers();
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > MAX_WORKERS) {
    read.problem('WORKERS', `"auto" (one per available core) or a whole number from 1 to ${MAX_WORKERS}`);
    return 1;
  }
  return count;
}

/** Cores this process may use: scheduler affinity, capped by the cgroup CPU quota (v2 `cpu.max`, or v1's CFS quota). */
export function autoWorkers(cpuMax = readCgroupCpuMax()): number {
  const cores = availableParallelism();
  const quota = parseCpuMax(cpuMax);
  return Math.max(1, Math.min(cores, MAX_WORKERS, quota === undefined ? cores : Math.ceil(quota)));
}

/** `cpu.max` is "<quota> <period>" in µs, or "max <period>" for no limit. Returns cores, or undefined for none. */
export function parseCpuMax(text: string | undefined): number | undefined {
  const [quota, period] = (text ?? '').trim().split(/\s+/);
  const q = Number(quota);
  const p = Number(period);
  if (quota === 'max' || !(q > 0) || !(p > 0)) return undefined;
  return q / p;
}

/**
 * The CPU quota in `cpu.max`'s form. cgroup v2 has the file; cgroup v1 (still the default
 * on older hosts and Docker engines, where a container's `cpus:` limit is a CFS quota) has
 * the quota and period in two files, a quota of -1 meaning none.
 */
function readCgroupCpuMax(): string | undefined {
  const v2 = readText('/sys/fs/cgroup/cpu.max');
  if (v2 !== undefined) return v2;
  for (const dir of ['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/cpu,cpuacct']) {
    const quota = readText(`${dir}/cpu.cfs_quota_us`);
    const period = readText(`${dir}/cpu.cfs_period_us`);
    if (quota !== undefined && period !== undefined) return cgroupV1CpuMax(quota, period);
  }
  return undefined;
}

/** cgroup v1's `cpu.cfs_quota_us` and `cpu.cfs_period_us` as a `cpu.max` line. */
export function cgroupV1CpuMax(quota: string, period: string): string {
  const q = quota.trim();
  return `${q === '-1' ? 'max' : q} ${period.trim()}`;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
