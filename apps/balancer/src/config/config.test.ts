import { DEFAULT_HEALTH_CHECK, DEFAULT_OUTLIER_DETECTION, DEFAULT_PANIC_THRESHOLD, DEFAULT_SLOW_START_MS } from '@lbpoc/registry';
import { ConfigError } from '@lbpoc/service-kit';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => p.variable);
  }
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ BACKEND_SERVERS: 'backend1:5000,backend2:5000@3' });
    expect(config.defaultAlgorithm).toBe('adaptive');
    expect(config.port).toBe(5000);
    expect(config.metricsPort).toBe(8000);
    expect(config.backends.map((b) => [b.id, b.weight])).toEqual([
      ['backend1:5000', 1],
      ['backend2:5000', 3],
    ]);
    expect(config.pool.healthCheck).toMatchObject({ path: '/health', intervalMs: 2000, rise: 2, fall: 3 });
    expect(config.retries).toBe(2);
  });

  it('reads RETRIES from 0 (never retry) to 10, naming a bad value and the range', () => {
    expect(loadConfig({ BACKEND_SERVERS: 'a:1', RETRIES: '0' }).retries).toBe(0);
    expect(loadConfig({ BACKEND_SERVERS: 'a:1', RETRIES: '10' }).retries).toBe(10);
    expect(() => loadConfig({ BACKEND_SERVERS: 'a:1', RETRIES: '11' })).toThrow('RETRIES="11" is not valid: an integer from 0 to 10');
    expect(problemsOf({ BACKEND_SERVERS: 'a:1', RETRIES: 'twice' })).toEqual(['RETRIES']);
  });

  it('leaves the pool at @lbpoc/registry’s own defaults when nothing is set', () => {
    const { pool } = loadConfig({ BACKEND_SERVERS: 'a:1' });
    expect(pool).toEqual({
      healthCheck: DEFAULT_HEALTH_CHECK,
      outlierDetection: DEFAULT_OUTLIER_DETECTION,
      panicThreshold: DEFAULT_PANIC_THRESHOLD,
      slowStartMs: DEFAULT_SLOW_START_MS,
    });
  });

  it('refuses a listen address that is neither an IP address nor a host name', () => {
    expect(problemsOf({ BACKEND_SERVERS: 'a:1', HOST: 'not a host!', METRICS_HOST: '0.0.0.0/0' })).toEqual(['HOST', 'METRICS_HOST']);
    expect(loadConfig({ BACKEND_SERVERS: 'a:1', HOST: '::', METRICS_HOST: 'localhost' })).toMatchObject({ host: '::', metricsHost: 'localhost' });
  });

  it('reports every bad variable at once, naming value and what is allowed', () => {
    expect(
      problemsOf({
        BACKEND_SERVERS: 'a:1,,b:2',
        DEFAULT_ALGORITHM: 'fastest',
        PORT: '5000x',
        PANIC_THRESHOLD: '2',
        TRUSTED_PROXIES: 'example.com',
        LOG_LEVEL: 'loud',
        HEALTH_CHECK_PATH: 'health',
      }),
    ).toEqual(['BACKEND_SERVERS', 'TRUSTED_PROXIES', 'DEFAULT_ALGORITHM', 'PORT', 'HEALTH_CHECK_PATH', 'PANIC_THRESHOLD', 'LOG_LEVEL']);
    expect(() => loadConfig({ BACKEND_SERVERS: 'a:1', PORT: '70000' })).toThrow('PORT="70000" is not valid: an integer from 0 to 65535');
  });

  it('refuses EJECTION_MAX_MS below EJECTION_BASE_MS (found by the fuzz suite: the pool threw at start instead)', () => {
    expect(problemsOf({ BACKEND_SERVERS: 'a:1', EJECTION_MAX_MS: '5' })).toEqual(['EJECTION_MAX_MS']);
    expect(problemsOf({ BACKEND_SERVERS: 'a:1', EJECTION_BASE_MS: '100', EJECTION_MAX_MS: '100' })).toEqual([]);
  });

  it('requires BACKEND_SERVERS', () => {
    expect(problemsOf({})).toEqual(['BACKEND_SERVERS']);
  });

  it('turns health checks off on request', () => {
    expect(loadConfig({ BACKEND_SERVERS: 'a:1', HEALTH_CHECKS: 'off' }).pool.healthCheck).toBe(false);
  });
});
