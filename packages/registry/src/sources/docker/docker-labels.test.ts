import { describe, expect, it } from 'vitest';
import { DOCKER_LABELS, labelProblemMessage, readBackendLabels, readEnableLabel, readPoolLabel } from './docker-labels.js';

describe('Docker labels', () => {
  it('uses the documented names', () => {
    expect(Object.values(DOCKER_LABELS)).toEqual([
      'lbpoc.enable',
      'lbpoc.port',
      'lbpoc.weight',
      'lbpoc.network',
      'lbpoc.pool',
      'lbpoc.health.path',
      'lbpoc.metrics.port',
    ]);
  });

  it.each([
    [{}, 'disabled'],
    [{ 'lbpoc.enable': 'true' }, 'enabled'],
    [{ 'lbpoc.enable': 'True' }, 'enabled'],
    [{ 'lbpoc.enable': 'false' }, 'disabled'],
  ])('reads lbpoc.enable from %j', (labels, expected) => {
    expect(readEnableLabel(labels)).toBe(expected);
  });

  it('reports an lbpoc.enable that is neither true nor false', () => {
    expect(readEnableLabel({ 'lbpoc.enable': 'yes' })).toEqual({ label: 'lbpoc.enable', value: 'yes', allowed: 'true or false' });
  });

  it('reads a pool name, and rejects one Docker would not accept as a name', () => {
    expect(readPoolLabel({ 'lbpoc.pool': 'web_v2.blue-1' })).toBe('web_v2.blue-1');
    expect(readPoolLabel({})).toBeUndefined();
    expect(readPoolLabel({ 'lbpoc.pool': 'web pool' })).toMatchObject({ label: 'lbpoc.pool', value: 'web pool' });
    expect(readPoolLabel({ 'lbpoc.pool': '-web' })).toMatchObject({ label: 'lbpoc.pool' });
  });

  it('applies the defaults when only lbpoc.enable is set', () => {
    expect(readBackendLabels({ 'lbpoc.enable': 'true' })).toEqual({
      labels: { port: undefined, weight: 1, network: undefined, healthPath: undefined, metricsPort: undefined },
      problems: [],
    });
  });

  it('parses every label', () => {
    const { labels, problems } = readBackendLabels({
      'lbpoc.port': '5000',
      'lbpoc.weight': '0',
      'lbpoc.network': 'lbpoc_backend',
      'lbpoc.health.path': '/healthz?full=1',
      'lbpoc.metrics.port': '9100',
    });
    expect(problems).toEqual([]);
    expect(labels).toEqual({ port: 5000, weight: 0, network: 'lbpoc_backend', healthPath: '/healthz?full=1', metricsPort: 9100 });
  });

  it('reports every bad label at once, with what is allowed', () => {
    const { problems } = readBackendLabels({
      'lbpoc.port': '0',
      'lbpoc.weight': '1001',
      'lbpoc.network': 'has space',
      'lbpoc.health.path': 'health',
      'lbpoc.metrics.port': '8000x',
    });
    expect(problems).toEqual([
      { label: 'lbpoc.port', value: '0', allowed: 'an integer from 1 to 65535' },
      { label: 'lbpoc.weight', value: '1001', allowed: 'an integer from 0 to 1000 (0 = drained; default 1)' },
      { label: 'lbpoc.network', value: 'has space', allowed: expect.stringContaining('a Docker network name') },
      { label: 'lbpoc.health.path', value: 'health', allowed: 'an absolute URL path such as /health' },
      { label: 'lbpoc.metrics.port', value: '8000x', allowed: 'an integer from 1 to 65535' },
    ]);
  });

  it.each(['1.5', '-1', ' ', '1e3', '0x10'])('rejects weight %j', (value) => {
    expect(readBackendLabels({ 'lbpoc.weight': value }).problems).toHaveLength(1);
  });

  it('words a problem for a person', () => {
    expect(labelProblemMessage('container "web-1"', { label: 'lbpoc.weight', value: 'heavy', allowed: 'an integer from 0 to 1000' })).toBe(
      'container "web-1": label lbpoc.weight="heavy" is invalid; expected an integer from 0 to 1000. Skipped until it is fixed.',
    );
  });
});
