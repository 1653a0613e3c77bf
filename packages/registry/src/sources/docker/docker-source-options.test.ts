import { describe, expect, it } from 'vitest';
import { InvalidDockerSourceOptionError } from './docker-errors.js';
import { resolveDockerSourceOptions } from './docker-source-options.js';

describe('resolveDockerSourceOptions', () => {
  it('fills in the defaults', () => {
    expect(resolveDockerSourceOptions({})).toEqual({
      mode: 'containers',
      pool: undefined,
      network: undefined,
      selfNetworks: undefined,
      pollIntervalMs: 2000,
      docker: undefined,
      requestTimeoutMs: 5000,
      heartbeatIntervalMs: 5000,
      resyncIntervalMs: 60_000,
      reconnectInitialDelayMs: 500,
      reconnectMaxDelayMs: 30_000,
    });
  });

  it.each([
    [{ mode: 'kubernetes' }, 'mode', '"containers" or "swarm"'],
    [{ pool: 'a pool' }, 'pool', 'a name of letters'],
    [{ network: '' }, 'network', 'a name of letters'],
    [{ pollIntervalMs: 10 }, 'pollIntervalMs', 'an integer from 100 to 86400000'],
    [{ resyncIntervalMs: -1 }, 'resyncIntervalMs', 'an integer from 0'],
    [{ selfNetworks: 'front' }, 'selfNetworks', 'an array of network names'],
    [{ reconnectInitialDelayMs: 1000, reconnectMaxDelayMs: 500 }, 'reconnectMaxDelayMs', 'at least reconnectInitialDelayMs (1000)'],
    [{ polInterval: 5 }, 'polInterval', 'one of the known options'],
  ])('rejects %j', (options, option, allowed) => {
    let error: unknown;
    try {
      resolveDockerSourceOptions(options as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidDockerSourceOptionError);
    expect((error as InvalidDockerSourceOptionError).option).toBe(option);
    expect((error as Error).message).toContain(allowed);
  });
});
