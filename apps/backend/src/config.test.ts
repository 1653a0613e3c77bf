import { ConfigError } from '@lbpoc/service-kit';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const defaults = { hostname: 'box-1' };

function problemsOf(env: Record<string, string>, hostDefaults = defaults) {
  try {
    loadConfig(env, hostDefaults);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the config to be refused');
}

describe('loadConfig', () => {
  it('has the seed’s defaults when nothing is set', () => {
    expect(loadConfig({}, defaults)).toEqual({
      serverId: 'box-1',
      hostname: 'box-1',
      delay: { kind: 'fixed', ms: 0 },
      errorRate: 0,
      host: '0.0.0.0',
      port: 5000,
      metricsPort: 8000,
      shutdownTimeoutMs: 10_000,
      concurrency: 0,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        SERVER_ID: '2',
        SIMULATED_DELAY: 'normal:50:10',
        ERROR_RATE: '0.25',
        HOST: '127.0.0.1',
        PORT: '5001',
        METRICS_PORT: '8001',
        SHUTDOWN_TIMEOUT_MS: '2500',
      },
      defaults,
    );
    expect(config).toMatchObject({
      serverId: '2',
      delay: { kind: 'normal', mean: 50, stddev: 10 },
      errorRate: 0.25,
      host: '127.0.0.1',
      port: 5001,
      metricsPort: 8001,
      shutdownTimeoutMs: 2500,
    });
  });

  it('still reads SHUTDOWN_TIMEOUT, its old name, for one release, with a warning', () => {
    const warnings: string[] = [];
    expect(loadConfig({ SHUTDOWN_TIMEOUT: '2500' }, defaults, (warning) => warnings.push(warning)).shutdownTimeoutMs).toBe(2500);
    expect(warnings).toEqual(['SHUTDOWN_TIMEOUT is deprecated and will be ignored from the next release: rename it SHUTDOWN_TIMEOUT_MS (same value)']);
    expect(problemsOf({ SHUTDOWN_TIMEOUT: '2500', SHUTDOWN_TIMEOUT_MS: '2500' }).map((p) => p.variable)).toEqual(['SHUTDOWN_TIMEOUT']);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ SERVER_ID: '', PORT: ' ', SIMULATED_DELAY: '' }, defaults)).toMatchObject({
      serverId: 'box-1',
      port: 5000,
      delay: { kind: 'fixed', ms: 0 },
    });
  });

  it.each([
    ['SIMULATED_DELAY', 'slow', /"20-80"/],
    ['SIMULATED_DELAY', '80-20', /starts above/],
    ['ERROR_RATE', '1.5', /fraction from 0 to 1/],
    ['ERROR_RATE', '-0.1', /fraction from 0 to 1/],
    ['ERROR_RATE', '5%', /fraction from 0 to 1/],
    ['PORT', '70000', /0 to 65535/],
    ['PORT', '80a', /0 to 65535/],
    ['METRICS_PORT', '-1', /0 to 65535/],
    ['HOST', 'not a host!', /IP address/],
    ['SERVER_ID', 'has spaces', /letters, digits/],
    ['SERVER_ID', 'x'.repeat(65), /1 to 64/],
    ['SHUTDOWN_TIMEOUT_MS', '10s', /an integer from 0 to 600000/],
    ['SHUTDOWN_TIMEOUT_MS', '600001', /an integer from 0 to 600000/],
    ['SHUTDOWN_TIMEOUT', '10s', /an integer from 0 to 600000/],
    ['CONCURRENCY', '-1', /0 to 10000|from 0 to 10000/],
    ['CONCURRENCY', '2.5', /0 to 10000|from 0 to 10000/],
    ['CONCURRENCY', 'many', /0 to 10000|from 0 to 10000/],
  ])('refuses %s=%j, naming the variable, the value and what is allowed', (variable, value, allowed) => {
    const [problem, ...rest] = problemsOf({ [variable]: value });
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ variable, value });
    expect(problem!.allowed).toMatch(allowed);
    expect(new ConfigError([problem!]).message).toContain(`${variable}=${JSON.stringify(value)} is not valid: `);
  });

  it('refuses a host name that cannot be a SERVER_ID when none is set', () => {
    const [problem] = problemsOf({}, { hostname: 'a host with spaces' });
    expect(problem).toMatchObject({ variable: 'SERVER_ID', value: '' });
    expect(problem!.allowed).toContain('set it: the default, the host name "a host with spaces", is not');
  });

  it('refuses the same port for traffic and metrics', () => {
    const [problem] = problemsOf({ PORT: '9000', METRICS_PORT: '9000' });
    expect(problem).toMatchObject({ variable: 'METRICS_PORT' });
    expect(problem!.allowed).toContain('other than PORT');
    expect(problemsOf({ PORT: '8000' })).toEqual([
      { variable: 'PORT', value: '8000', allowed: 'a port other than METRICS_PORT (8000, its default); traffic and metrics are served separately' },
    ]);
    expect(loadConfig({ PORT: '0', METRICS_PORT: '0' }, defaults).port).toBe(0);
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf({ SIMULATED_DELAY: 'x', ERROR_RATE: 'y', PORT: 'z' });
    expect(problems.map((p) => p.variable)).toEqual(['SIMULATED_DELAY', 'ERROR_RATE', 'PORT']);
  });
});
