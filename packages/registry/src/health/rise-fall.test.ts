import { describe, expect, it } from 'vitest';
import { recordCheck } from './rise-fall.js';

describe('recordCheck', () => {
  it('needs fall consecutive failures to go down and rise consecutive passes to come back', () => {
    const state = { failingChecks: false, checkPasses: 0, checkFailures: 0 };
    const run = (results: boolean[]) => results.map((passed) => recordCheck(state, passed, 2, 3));
    expect(run([false, false, true, false, false])).toEqual([false, false, false, false, false]);
    expect(state.failingChecks).toBe(false);
    expect(run([false])).toEqual([true]);
    expect(state.failingChecks).toBe(true);
    expect(run([true, false, true])).toEqual([false, false, false]);
    expect(run([true])).toEqual([true]);
    expect(state.failingChecks).toBe(false);
  });
});
