import { describe, expect, it } from 'vitest';
import { DEFAULT_OUTLIER_DETECTION } from '../pool-options.js';
import { countOutcome, decayedEjectionLevel, ejectionDurationMs } from './outlier-detection.js';

const fresh = () => ({ consecutiveLocalFailures: 0, consecutiveFailures: 0 });

describe('countOutcome', () => {
  it('ejects on the third consecutive connect failure or timeout', () => {
    const state = fresh();
    expect(countOutcome(state, 'connect_failure', DEFAULT_OUTLIER_DETECTION)).toBeUndefined();
    expect(countOutcome(state, 'timeout', DEFAULT_OUTLIER_DETECTION)).toBeUndefined();
    expect(countOutcome(state, 'connect_failure', DEFAULT_OUTLIER_DETECTION)).toMatch(/3 consecutive connect failures/);
    expect(state).toEqual(fresh());
  });

  it('ejects on the fifth consecutive 5xx, and a success resets the count', () => {
    const state = fresh();
    for (let i = 0; i < 4; i++) expect(countOutcome(state, 'http_5xx', DEFAULT_OUTLIER_DETECTION)).toBeUndefined();
    countOutcome(state, 'success', DEFAULT_OUTLIER_DETECTION);
    for (let i = 0; i < 4; i++) expect(countOutcome(state, 'http_5xx', DEFAULT_OUTLIER_DETECTION)).toBeUndefined();
    expect(countOutcome(state, 'http_5xx', DEFAULT_OUTLIER_DETECTION)).toMatch(/5 consecutive failed requests/);
  });

  it('a 5xx breaks a run of connect failures (the connection worked) but counts as a failure', () => {
    const state = fresh();
    countOutcome(state, 'connect_failure', DEFAULT_OUTLIER_DETECTION);
    countOutcome(state, 'connect_failure', DEFAULT_OUTLIER_DETECTION);
    expect(countOutcome(state, 'http_5xx', DEFAULT_OUTLIER_DETECTION)).toBeUndefined();
    expect(state).toEqual({ consecutiveLocalFailures: 0, consecutiveFailures: 3 });
    countOutcome(state, 'connect_failure', DEFAULT_OUTLIER_DETECTION);
    expect(countOutcome(state, 'timeout', DEFAULT_OUTLIER_DETECTION)).toMatch(/5 consecutive failed requests/);
  });

  it('a threshold of 0 disables that trigger', () => {
    const state = fresh();
    const options = { ...DEFAULT_OUTLIER_DETECTION, consecutiveConnectFailures: 0, consecutive5xx: 0 };
    for (let i = 0; i < 50; i++) expect(countOutcome(state, 'connect_failure', options)).toBeUndefined();
  });
});

describe('ejectionDurationMs', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 100].map((level) => ejectionDurationMs(level, DEFAULT_OUTLIER_DETECTION))).toEqual([
      5000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000,
    ]);
  });
});

describe('decayedEjectionLevel', () => {
  it('drops one level per base ejection time spent admitted', () => {
    expect(decayedEjectionLevel(3, 0, 5000)).toBe(3);
    expect(decayedEjectionLevel(3, 4999, 5000)).toBe(3);
    expect(decayedEjectionLevel(3, 5000, 5000)).toBe(2);
    expect(decayedEjectionLevel(3, 12_000, 5000)).toBe(1);
    expect(decayedEjectionLevel(3, 1e9, 5000)).toBe(0);
  });
});
