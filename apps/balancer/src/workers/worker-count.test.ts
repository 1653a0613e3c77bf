import { availableParallelism } from 'node:os';
import { ConfigError } from '@lbpoc/service-kit';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { autoWorkers, cgroupV1CpuMax, MAX_WORKERS, parseCpuMax } from './worker-count.js';

const BASE = { BACKEND_SERVERS: '127.0.0.1:5001' };

describe('WORKERS', () => {
  it('reads a number, and auto (the default) as the cores this process may use', () => {
    expect(loadConfig({ ...BASE, WORKERS: '3' }).workers).toBe(3);
    expect(loadConfig({ ...BASE, WORKERS: '1' }).workers).toBe(1);
    expect(loadConfig({ ...BASE, WORKERS: 'auto' }).workers).toBe(autoWorkers());
    expect(loadConfig(BASE).workers).toBe(autoWorkers());
  });

  it.each(['0', '-1', '1.5', 'two', String(MAX_WORKERS + 1)])('refuses WORKERS=%j naming what is allowed', (value) => {
    expect(() => loadConfig({ ...BASE, WORKERS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...BASE, WORKERS: value })).toThrow(/WORKERS=.*"auto" \(one per available core\) or a whole number from 1 to 64/);
  });

  it('auto takes the cgroup CPU limit when it is lower than the cores', () => {
    expect(parseCpuMax('max 100000')).toBeUndefined();
    expect(parseCpuMax('200000 100000')).toBe(2);
    expect(parseCpuMax('150000 100000')).toBe(1.5);
    expect(parseCpuMax(undefined)).toBeUndefined();
    expect(parseCpuMax('garbage')).toBeUndefined();
    expect(autoWorkers('50000 100000')).toBe(1);
    expect(autoWorkers('150000 100000')).toBe(Math.min(2, availableParallelism()));
    expect(autoWorkers('max 100000')).toBe(Math.min(availableParallelism(), MAX_WORKERS));
  });

  it('reads a cgroup v1 CFS quota the same way (-1: no limit)', () => {
    expect(cgroupV1CpuMax('100000\n', '100000\n')).toBe('100000 100000');
    expect(autoWorkers(cgroupV1CpuMax('100000', '100000'))).toBe(1);
    expect(autoWorkers(cgroupV1CpuMax('-1', '100000'))).toBe(Math.min(availableParallelism(), MAX_WORKERS));
  });
});
