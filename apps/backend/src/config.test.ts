import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { ConfigError } from './config-error.js';

const defaults = { hostname: 'box-1' };

function errorsOf(env: Record<string, string>) {
  const result = loadConfig(env, defaults);
  if (result.ok) throw new Error('expected the config to be refused');
  return result.errors;
}

describe('loadConfig', () => {
  it('has the seed’s defaults when nothing is set', () => {
    expect(loadConfig({}, defaults)).toEqual({
      ok: true,
      config: {
        serverId: 'box-1',
        hostname: 'box-1',
        delay: { kind: 'fixed', ms: 0 },
        errorRate: 0,
        host: '0.0.0.0',
        port: 5000,
        metricsPort: 8000,
        shutdownTimeoutMs: 10_000,
      },
    });
  });

  it('reads every variable', () => {
    const result = loadConfig(
      {
        SERVER_ID: '2',
        SIMULATED_DELAY: 'normal:50:10',
        ERROR_RATE: '0.25',
        HOST: '127.0.0.1',
        PORT: '5001',
        METRICS_PORT: '8001',
        SHUTDOWN_TIMEOUT: '2500',
      },
      defaults,
    );
    expect(result).toMatchObject({
      ok: true,
      config: {
        serverId: '2',
        delay: { kind: 'normal', mean: 50, stddev: 10 },
        errorRate: 0.25,
        host: '127.0.0.1',
        port: 5001,
        metricsPort: 8001,
        shutdownTimeoutMs: 2500,
      },
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ SERVER_ID: '', PORT: ' ', SIMULATED_DELAY: '' }, defaults)).toMatchObject({
      ok: true,
      config: { serverId: 'box-1', port: 5000, delay: { kind: 'fixed', ms: 0 } },
    });
  });

  it.each([
    ['SIMULATED_DELAY', 'slow', /"20-80"/],
    ['SIMULATED_DELAY', '80-20', /starts above/],
    ['ERROR_RATE', '1.5', /fraction from 0 to 1/],
    ['ERROR_RATE', '-0.1', /fraction from 0 to 1/],
    ['ERROR_RATE', '5%', /fraction from 0 to 1/],
    ['PORT', '70000', /1 to 65535/],
    ['PORT', '80a', /1 to 65535/],
    ['METRICS_PORT', '-1', /1 to 65535/],
    ['HOST', 'not a host!', /IP address/],
    ['SERVER_ID', 'has spaces', /letters, digits/],
    ['SERVER_ID', 'x'.repeat(65), /1 to 64/],
    ['SHUTDOWN_TIMEOUT', '10s', /whole milliseconds/],
  ])('refuses %s=%j, naming the variable, the value and what is allowed', (variable, value, allowed) => {
    const [error, ...rest] = errorsOf({ [variable]: value });
    expect(rest).toEqual([]);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ name: 'ConfigError', variable, value });
    expect(error?.message).toContain(`${variable}=${JSON.stringify(value)}`);
    expect(error?.message).toMatch(allowed);
  });

  it('refuses the same port for traffic and metrics', () => {
    const [error] = errorsOf({ PORT: '9000', METRICS_PORT: '9000' });
    expect(error).toMatchObject({ variable: 'METRICS_PORT' });
    expect(error?.message).toContain('other than PORT');
    expect(loadConfig({ PORT: '0', METRICS_PORT: '0' }, defaults).ok).toBe(true);
  });

  it('reports every bad variable at once', () => {
    const errors = errorsOf({ SIMULATED_DELAY: 'x', ERROR_RATE: 'y', PORT: 'z' });
    expect(errors.map((e) => e.variable)).toEqual(['SIMULATED_DELAY', 'ERROR_RATE', 'PORT']);
  });
});
