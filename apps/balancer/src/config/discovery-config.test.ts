import { ConfigError } from '@lbpoc/service-kit';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

/** The variables named in the ConfigError, with the message, or [] when the config loads. */
function problems(env: Record<string, string>): { variables: string[]; message: string } {
  try {
    loadConfig(env);
    return { variables: [], message: '' };
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return { variables: (error as ConfigError).problems.map((p) => p.variable), message: (error as Error).message };
  }
}

describe('discovery configuration', () => {
  it('is static by default, from BACKEND_SERVERS', () => {
    const config = loadConfig({ BACKEND_SERVERS: 'a:1,b:2@3' });
    expect(config.discovery).toEqual({ kind: 'static', backends: config.backends });
    expect(config.backends.map((backend) => backend.id)).toEqual(['a:1', 'b:2']);
  });

  it('needs no BACKEND_SERVERS with Docker discovery, and takes the documented defaults', () => {
    const config = loadConfig({ DISCOVERY: 'docker' });
    expect(config.discovery).toEqual({ kind: 'docker', docker: { mode: 'containers', pollIntervalMs: 2000 } });
    expect(config.backends).toEqual([]);
  });

  it('reads DOCKER_MODE, DOCKER_POOL, DOCKER_NETWORK and DOCKER_POLL_INTERVAL_MS', () => {
    const config = loadConfig({
      DISCOVERY: 'docker',
      DOCKER_MODE: 'swarm',
      DOCKER_POOL: 'web',
      DOCKER_NETWORK: 'lbpoc_backend',
      DOCKER_POLL_INTERVAL_MS: '500',
    });
    expect(config.discovery).toEqual({ kind: 'docker', docker: { mode: 'swarm', pool: 'web', network: 'lbpoc_backend', pollIntervalMs: 500 } });
  });

  it('refuses BACKEND_SERVERS with DISCOVERY=docker: it would be ignored', () => {
    const { variables, message } = problems({ DISCOVERY: 'docker', BACKEND_SERVERS: 'a:1' });
    expect(variables).toEqual(['BACKEND_SERVERS']);
    expect(message).toContain('BACKEND_SERVERS="a:1" is not valid: unset with DISCOVERY=docker');
  });

  it('still requires BACKEND_SERVERS for static discovery, saying so', () => {
    expect(problems({ DISCOVERY: 'static' }).message).toContain('required with DISCOVERY=static');
  });

  it('reports every bad discovery variable at once, even while discovery is static', () => {
    const { variables, message } = problems({
      BACKEND_SERVERS: 'a:1',
      DISCOVERY: 'consul',
      DOCKER_MODE: 'kubernetes',
      DOCKER_POOL: 'web pool',
      DOCKER_NETWORK: '-net',
      DOCKER_POLL_INTERVAL_MS: '50',
    });
    expect(variables).toEqual(['DISCOVERY', 'DOCKER_MODE', 'DOCKER_POOL', 'DOCKER_NETWORK', 'DOCKER_POLL_INTERVAL_MS']);
    expect(message).toContain('DISCOVERY="consul" is not valid: one of static, docker (default static)');
    expect(message).toContain('DOCKER_MODE="kubernetes" is not valid: one of containers, swarm (default containers)');
    expect(message).toContain('DOCKER_POOL="web pool" is not valid: a Docker name');
    expect(message).toContain('DOCKER_POLL_INTERVAL_MS="50" is not valid: an integer from 100 to 86400000 (default 2000)');
  });
});
