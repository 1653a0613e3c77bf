import { describe, expect, it } from 'vitest';
import { type ContainerContext, containerBackend, type InspectedContainer } from './container-backend.js';

/** An inspection as Docker returns it for a running container on one network. */
function inspected(
  labels: Record<string, string>,
  overrides: { state?: Partial<InspectedContainer['State']>; exposed?: string[]; networks?: Record<string, string> } = {},
): InspectedContainer {
  return {
    Id: 'f00d'.repeat(16),
    Name: '/shop-web-1',
    Config: { Labels: labels, ExposedPorts: Object.fromEntries((overrides.exposed ?? []).map((port) => [port, {}])) },
    State: { Running: true, Paused: false, Restarting: false, StartedAt: '2026-01-01T00:00:00Z', Health: null, ...overrides.state },
    NetworkSettings: {
      Networks: Object.fromEntries(Object.entries(overrides.networks ?? { shop_default: '172.20.0.5' }).map(([name, ip]) => [name, { IPAddress: ip }])),
    },
  };
}
const context: ContainerContext = { pool: undefined, network: undefined, selfNetworks: [], stopping: false };
const enabled = { 'lbpoc.enable': 'true', 'lbpoc.port': '5000' };

describe('containerBackend', () => {
  it('makes a backend of an enabled running container', () => {
    expect(containerBackend(inspected({ ...enabled, 'lbpoc.weight': '4', 'lbpoc.health.path': '/ready' }), context)).toEqual({
      kind: 'backend',
      address: { id: '172.20.0.5:5000', host: '172.20.0.5', port: 5000, weight: 4, pool: 'shop-web-1', healthPath: '/ready' },
    });
  });

  it('names the pool after lbpoc.pool, else the Compose service, else the Swarm service, else the container', () => {
    const pool = (labels: Record<string, string>) => {
      const verdict = containerBackend(inspected({ ...enabled, ...labels }), context);
      return verdict.kind === 'backend' ? verdict.address.pool : verdict.kind;
    };
    expect(pool({ 'lbpoc.pool': 'blue', 'com.docker.compose.service': 'web' })).toBe('blue');
    expect(pool({ 'com.docker.compose.service': 'web', 'com.docker.swarm.service.name': 'stack_web' })).toBe('web');
    expect(pool({ 'com.docker.swarm.service.name': 'stack_web' })).toBe('stack_web');
    expect(pool({})).toBe('shop-web-1');
  });

  it('ignores containers of another pool, not enabled, or not serving', () => {
    expect(containerBackend(inspected({ 'lbpoc.port': '5000' }), context)).toMatchObject({ kind: 'ignored' });
    expect(containerBackend(inspected({ ...enabled, 'lbpoc.enable': 'false' }), context)).toMatchObject({ kind: 'ignored' });
    expect(containerBackend(inspected({ ...enabled, 'lbpoc.pool': 'a' }), { ...context, pool: 'b' })).toEqual({ kind: 'ignored', reason: 'pool a, not b' });
    expect(containerBackend(inspected(enabled, { state: { Running: false } }), context)).toEqual({ kind: 'ignored', reason: 'not running' });
    expect(containerBackend(inspected(enabled, { state: { Restarting: true } }), context)).toEqual({ kind: 'ignored', reason: 'restarting' });
    expect(containerBackend(inspected(enabled, { state: { Paused: true } }), context)).toEqual({ kind: 'ignored', reason: 'paused' });
    expect(containerBackend(inspected(enabled), { ...context, stopping: true })).toEqual({ kind: 'ignored', reason: 'stopping' });
  });

  it('follows the HEALTHCHECK: only healthy (or none) serves', () => {
    for (const [status, kind] of [
      ['starting', 'ignored'],
      ['unhealthy', 'ignored'],
      ['healthy', 'backend'],
      ['none', 'backend'],
    ] as const) {
      expect(containerBackend(inspected(enabled, { state: { Health: { Status: status } } }), context).kind).toBe(kind);
    }
  });

  it('takes the port from the only exposed TCP port when lbpoc.port is absent', () => {
    const labels = { 'lbpoc.enable': 'true' };
    expect(containerBackend(inspected(labels, { exposed: ['8080/tcp', '53/udp'] }), context)).toMatchObject({ address: { port: 8080 } });
    const two = containerBackend(inspected(labels, { exposed: ['8080/tcp', '9090/tcp'] }), context);
    expect(two).toMatchObject({ kind: 'skipped', warnings: [{ label: 'lbpoc.port', value: undefined }] });
    expect(two.kind === 'skipped' && two.warnings[0]!.message).toBe(
      'container "shop-web-1": no lbpoc.port label, and the image exposes 8080/tcp, 9090/tcp; set lbpoc.port=<1-65535>. Skipped until it is fixed.',
    );
  });

  it('skips a container with bad labels, one warning per label, naming the container', () => {
    const verdict = containerBackend(inspected({ ...enabled, 'lbpoc.weight': 'x', 'lbpoc.metrics.port': '0' }), context);
    expect(verdict).toMatchObject({
      kind: 'skipped',
      warnings: [
        { container: 'shop-web-1', containerId: 'f00d'.repeat(16), label: 'lbpoc.weight', value: 'x' },
        { container: 'shop-web-1', label: 'lbpoc.metrics.port', value: '0' },
      ],
    });
    expect(containerBackend(inspected({ 'lbpoc.enable': 'maybe' }), context)).toMatchObject({
      kind: 'skipped',
      warnings: [{ label: 'lbpoc.enable', value: 'maybe' }],
    });
    expect(containerBackend(inspected({ ...enabled, 'lbpoc.pool': 'a b' }), context)).toMatchObject({ kind: 'skipped', warnings: [{ label: 'lbpoc.pool' }] });
  });

  it('picks the network as pickNetwork says, and warns when it cannot', () => {
    const networks = { shop_front: '172.20.0.5', shop_back: '172.21.0.5' };
    const labels = { ...enabled, 'com.docker.compose.project': 'shop' };
    expect(containerBackend(inspected({ ...labels, 'lbpoc.network': 'back' }, { networks }), context)).toMatchObject({ address: { host: '172.21.0.5' } });
    expect(containerBackend(inspected(labels, { networks }), { ...context, selfNetworks: ['shop_front'] })).toMatchObject({ address: { host: '172.20.0.5' } });
    expect(containerBackend(inspected(labels, { networks }), context)).toMatchObject({
      kind: 'skipped',
      warnings: [{ label: 'lbpoc.network', value: undefined }],
    });
  });

  it('reports configuration before state: a misconfigured container is reported while it is still starting', () => {
    const verdict = containerBackend(inspected({ ...enabled, 'lbpoc.weight': 'x' }, { state: { Health: { Status: 'starting' } } }), context);
    expect(verdict.kind).toBe('skipped');
  });
});
