import { register } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createBackendMetrics } from './backend-metrics.js';
import { createBalancerMetrics } from './balancer-metrics.js';
import { LATENCY_BUCKETS } from './latency-buckets.js';

describe('createBalancerMetrics', () => {
  it('gives each call a registry of its own: no shared state', async () => {
    const a = createBalancerMetrics({ defaultMetrics: false });
    const b = createBalancerMetrics({ defaultMetrics: false });
    expect(a.registry).not.toBe(b.registry);
    a.requestsTotal.inc({ algorithm: 'round_robin', backend: 'b1:5000', status_class: '2xx' }, 3);
    expect(await a.registry.metrics()).toContain(
      'lbpoc_requests_total{algorithm="round_robin",backend="b1:5000",status_class="2xx"} 3',
    );
    expect(await b.registry.metrics()).not.toContain('backend="b1:5000"');
  });

  it('collects the Node.js default metrics on its own registry, twice without a clash', async () => {
    const a = createBalancerMetrics();
    const b = createBalancerMetrics();
    expect(await a.registry.metrics()).toContain('process_cpu_user_seconds_total');
    expect(await b.registry.metrics()).toContain('nodejs_eventloop_lag_seconds');
    expect(await createBalancerMetrics({ defaultMetrics: false }).registry.metrics()).not.toContain('process_');
  });

  it('leaves prom-client’s global default registry empty', () => {
    createBalancerMetrics();
    createBackendMetrics();
    expect(register.getMetricsAsArray()).toEqual([]);
  });

  it('exports panic mode 0 and build info from the start', async () => {
    const text = await createBalancerMetrics({ version: '1.2.3', defaultMetrics: false }).registry.metrics();
    expect(text).toMatch(/^lbpoc_panic_mode 0$/m);
    expect(text).toMatch(/^lbpoc_build_info\{version="1.2.3"\} 1$/m);
    const fallback = await createBalancerMetrics({ defaultMetrics: false }).registry.metrics();
    expect(fallback).toMatch(/^lbpoc_build_info\{version="unknown"\} 1$/m);
  });

  it('resolves sub-millisecond overhead and slow backends in the latency histogram', async () => {
    const m = createBalancerMetrics({ defaultMetrics: false });
    m.requestDuration.observe({ algorithm: 'p2c', backend: 'b1:5000' }, 0.0003);
    m.requestDuration.observe({ algorithm: 'p2c', backend: 'b1:5000' }, 7);
    const text = await m.registry.metrics();
    expect(text).toContain('lbpoc_request_duration_seconds_bucket{le="0.0005",algorithm="p2c",backend="b1:5000"} 1');
    expect(text).toContain('lbpoc_request_duration_seconds_bucket{le="5",algorithm="p2c",backend="b1:5000"} 1');
    expect(text).toContain('lbpoc_request_duration_seconds_bucket{le="10",algorithm="p2c",backend="b1:5000"} 2');
    expect(LATENCY_BUCKETS[0]).toBe(0.0005);
    expect(LATENCY_BUCKETS.at(-1)).toBe(10);
  });

  it('takes custom buckets and default labels', async () => {
    const m = createBalancerMetrics({ defaultMetrics: false, buckets: [0.1, 1], defaultLabels: { role: 'canary' } });
    m.requestDuration.observe({ algorithm: 'random', backend: 'b1:5000' }, 0.5);
    const text = await m.registry.metrics();
    expect(text).toContain('lbpoc_request_duration_seconds_bucket{le="1",role="canary",algorithm="random",backend="b1:5000"} 1');
    expect(text).not.toContain('le="0.0005"');
  });

  it('rejects a label that is not in the contract', () => {
    const m = createBalancerMetrics({ defaultMetrics: false });
    // @ts-expect-error -- `path` is not a label of lbpoc_requests_total, on purpose.
    expect(() => m.requestsTotal.inc({ path: '/x' })).toThrow(/path/);
  });

  it('forgets every series of a backend that left the pool, and only those', async () => {
    const m = createBalancerMetrics({ defaultMetrics: false });
    for (const backend of ['gone:5000', 'kept:5000']) {
      m.requestsTotal.inc({ algorithm: 'round_robin', backend, status_class: '2xx' });
      m.requestsTotal.inc({ algorithm: 'p2c', backend, status_class: '5xx' });
      m.requestDuration.observe({ algorithm: 'round_robin', backend }, 0.01);
      m.inFlight.set({ backend }, 2);
      m.backendUp.set({ backend }, 1);
      m.backendWeight.set({ backend }, 3);
      m.backendEjectionsTotal.inc({ backend, reason: 'consecutive_errors' });
      m.healthChecksTotal.inc({ backend, result: 'success' });
    }
    await m.forgetBackend('gone:5000');
    const text = await m.registry.metrics();
    expect(text).not.toContain('gone:5000');
    expect(text.match(/backend="kept:5000"/g)?.length).toBeGreaterThan(8);
  });
});
