import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { EnvReader } from '../env-reader.js';

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

/** Cores this process may use: scheduler affinity, capped by a cgroup v2 CPU quota (`cpu.max`). */
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

function readCgroupCpuMax(): string | undefined {
  try {
    return readFileSync('/sys/fs/cgroup/cpu.max', 'utf8');
  } catch {
    return undefined;
  }
}
