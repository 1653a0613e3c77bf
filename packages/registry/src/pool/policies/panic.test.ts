import { describe, expect, it } from 'vitest';
import { isPanic } from './panic.js';

const backend = (healthy: boolean, drained = false, configuredWeight = 1) => ({ healthy, drained, configuredWeight });

describe('isPanic', () => {
  it('panics when the healthy share is below the threshold', () => {
    expect(isPanic([backend(true), backend(false), backend(false)], 0.5)).toBe(true);
    expect(isPanic([backend(true), backend(false)], 0.5)).toBe(false);
    expect(isPanic([backend(false)], 0.5)).toBe(true);
  });

  it('leaves drained and zero-weight backends out of the count', () => {
    expect(isPanic([backend(true), backend(false, true), backend(false, false, 0)], 0.5)).toBe(false);
  });

  it('never panics when empty or disabled', () => {
    expect(isPanic([], 0.5)).toBe(false);
    expect(isPanic([backend(false)], 0)).toBe(false);
  });
});
