import { describe, expect, it } from 'vitest';
import { type SwarmService, type SwarmTask, swarmBackends } from './swarm-backends.js';

const service = (ID: string, Name: string, Labels: Record<string, string>, targetPorts: number[] = []): SwarmService => ({
  ID,
  Spec: { Name, Labels, EndpointSpec: { Ports: targetPorts.map((TargetPort) => ({ TargetPort, Protocol: 'tcp' })) } },
});
const task = (ID: string, ServiceID: string, Slot: number, attachments: Record<string, string>, State = 'running'): SwarmTask => ({
  ID,
  ServiceID,
  Slot,
  Status: { State },
  NetworksAttachments: Object.entries(attachments).map(([name, address]) => ({
    Network: { Spec: { Name: name, Ingress: name === 'ingress' } },
    Addresses: [address],
  })),
});
const context = { pool: undefined, network: undefined, selfNetworks: [] };

describe('swarmBackends', () => {
  it('makes one backend per running task, on the non-ingress network, in slot order', () => {
    const web = service('s1', 'shop_web', { 'lbpoc.enable': 'true', 'lbpoc.port': '5000', 'lbpoc.weight': '2' });
    const tasks = [
      task('t2', 's1', 2, { ingress: '10.0.0.9/24', shop_net: '10.0.1.7/24' }),
      task('t1', 's1', 1, { ingress: '10.0.0.8/24', shop_net: '10.0.1.6/24' }),
      task('t3', 's1', 3, { shop_net: '10.0.1.8/24' }, 'starting'),
    ];
    expect(swarmBackends([web], tasks, context)).toEqual({
      addresses: [
        { id: '10.0.1.6:5000', host: '10.0.1.6', port: 5000, weight: 2, pool: 'shop_web' },
        { id: '10.0.1.7:5000', host: '10.0.1.7', port: 5000, weight: 2, pool: 'shop_web' },
      ],
      warnings: [],
    });
  });

  it('filters by pool, takes the single published target port, matches stack-prefixed networks', () => {
    const labels = { 'lbpoc.enable': 'true', 'lbpoc.network': 'back', 'com.docker.stack.namespace': 'shop' };
    const api = service('s1', 'shop_api', { ...labels, 'lbpoc.pool': 'api' }, [8080]);
    const web = service('s2', 'shop_web', { ...labels, 'lbpoc.port': '80' });
    const tasks = [task('t1', 's1', 1, { shop_back: '10.0.2.4/24', shop_front: '10.0.3.4/24' }), task('t2', 's2', 1, { shop_back: '10.0.2.5/24' })];
    expect(swarmBackends([api, web], tasks, { ...context, pool: 'api' }).addresses).toEqual([
      { id: '10.0.2.4:8080', host: '10.0.2.4', port: 8080, weight: 1, pool: 'api' },
    ]);
  });

  it('skips misconfigured services with one warning each, naming the service', () => {
    const services = [
      service('s1', 'bad_weight', { 'lbpoc.enable': 'true', 'lbpoc.port': '80', 'lbpoc.weight': 'lots' }),
      service('s2', 'no_port', { 'lbpoc.enable': 'true' }, [80, 443]),
      service('s3', 'two_nets', { 'lbpoc.enable': 'true', 'lbpoc.port': '80' }),
      service('s4', 'off', { 'lbpoc.enable': 'false' }),
    ];
    const tasks = [task('t1', 's3', 1, { a: '10.0.4.2/24', b: '10.0.5.2/24' }), task('t2', 's3', 2, { a: '10.0.4.3/24', b: '10.0.5.3/24' })];
    const { addresses, warnings } = swarmBackends(services, tasks, context);
    expect(addresses).toEqual([]);
    expect(warnings.map((warning) => [warning.container, warning.label, warning.value])).toEqual([
      ['bad_weight', 'lbpoc.weight', 'lots'],
      ['no_port', 'lbpoc.port', undefined],
      ['two_nets', 'lbpoc.network', undefined],
    ]);
    expect(warnings[2]!.message).toBe(
      'service "two_nets", its tasks: on several networks (a, b) and none is chosen; set the lbpoc.network label to the one the balancer reaches it on. Skipped until it is fixed.',
    );
  });
});
