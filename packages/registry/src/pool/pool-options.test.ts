import { describe, expect, it } from 'vitest';
import { InvalidPoolOptionError } from '../shared/errors.js';
import { type BackendPoolOptions, DEFAULT_HEALTH_CHECK, DEFAULT_OUTLIER_DETECTION, resolvePoolOptions } from './pool-options.js';

describe('resolvePoolOptions', () => {
  it('applies the documented defaults', () => {
    const options = resolvePoolOptions();
    expect(options.healthCheck).toEqual({ path: '/health', intervalMs: 2000, timeoutMs: 1000, rise: 2, fall: 3 });
    expect(options.outlierDetection).toEqual({ consecutiveConnectFailures: 3, consecutive5xx: 5, baseEjectionMs: 5000, maxEjectionMs: 60_000 });
    expect(options).toMatchObject({ panicThreshold: 0.5, slowStartMs: 10_000, latencyEwmaAlpha: 0.2 });
  });

  it('merges partial groups over the defaults and accepts false', () => {
    const options = resolvePoolOptions({ healthCheck: { intervalMs: 50 }, outlierDetection: false, panicThreshold: 0, slowStartMs: 0 });
    expect(options.healthCheck).toEqual({ ...DEFAULT_HEALTH_CHECK, intervalMs: 50 });
    expect(options.outlierDetection).toBe(false);
    expect(resolvePoolOptions({ outlierDetection: { maxEjectionMs: 5000 } }).outlierDetection).toEqual({
      ...DEFAULT_OUTLIER_DETECTION,
      maxEjectionMs: 5000,
    });
  });

  it.each([
    [
      { healthCheck: { intervalMs: 0 } },
      'healthCheck.intervalMs',
      'BackendPool option healthCheck.intervalMs must be an integer from 1 to 86400000 (milliseconds), got 0',
    ],
    [{ healthCheck: { timeoutMs: 1.5 } }, 'healthCheck.timeoutMs', 'got 1.5'],
    [{ healthCheck: { rise: 0 } }, 'healthCheck.rise', 'an integer from 1 to 100, got 0'],
    [{ healthCheck: { fall: 101 } }, 'healthCheck.fall', 'an integer from 1 to 100, got 101'],
    [{ healthCheck: { path: 'health' } }, 'healthCheck.path', 'a path starting with "/", got "health"'],
    [{ outlierDetection: { consecutive5xx: -1 } }, 'outlierDetection.consecutive5xx', '(0 disables this trigger), got -1'],
    [{ outlierDetection: { baseEjectionMs: 10_000, maxEjectionMs: 5000 } }, 'outlierDetection.maxEjectionMs', 'an integer from 10000 to 86400000'],
    [{ panicThreshold: 1.5 }, 'panicThreshold', 'a number from 0 to 1 (0 disables panic mode), got 1.5'],
    [{ slowStartMs: -1 }, 'slowStartMs', '0 disables slow start'],
    [{ latencyEwmaAlpha: 0 }, 'latencyEwmaAlpha', 'greater than 0 and at most 1'],
    [{ clock: {} }, 'clock', 'now() and setTimeout'],
    [{ healthcheck: false }, 'healthcheck', 'BackendPool has no option healthcheck; known options: healthCheck, outlierDetection'],
    [{ healthCheck: { interval: 5 } }, 'healthCheck.interval', 'known options: healthCheck.path, healthCheck.intervalMs'],
  ])('rejects %j naming the option, the value and the range', (options, option, message) => {
    let error: unknown;
    try {
      resolvePoolOptions(options as BackendPoolOptions);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidPoolOptionError);
    expect((error as InvalidPoolOptionError).option).toBe(option);
    expect((error as InvalidPoolOptionError).code).toBe('ERR_INVALID_POOL_OPTION');
    expect((error as Error).message).toContain(message);
  });
});
