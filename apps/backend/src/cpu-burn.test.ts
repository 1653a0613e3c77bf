import { describe, expect, it } from 'vitest';
import { burnCpu, MAX_CPU_MS, parseCpuMs } from './cpu-burn.js';

describe('parseCpuMs', () => {
  it.each([
    ['0', 0],
    ['50', 50],
    [String(MAX_CPU_MS), MAX_CPU_MS],
  ])('accepts %j', (value, ms) => {
    expect(parseCpuMs(value)).toEqual({ ok: true, ms });
  });

  it.each([null, '', 'abc', '-1', '1.5', '1e3', String(MAX_CPU_MS + 1)])('refuses %j with a message saying what is allowed', (value) => {
    const result = parseCpuMs(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/ms.*whole number of milliseconds from 0 to 5000/);
  });
});

describe('burnCpu', () => {
  it('spins for at least the time asked', () => {
    expect(burnCpu(15)).toBeGreaterThanOrEqual(15);
  });
});
