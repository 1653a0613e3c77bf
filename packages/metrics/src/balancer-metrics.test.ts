import { register } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createBackendMetrics } from './backend-metrics.js';
import { createBalancerMetrics } from './balancer-metrics.js';
import { ADAPTIVE_CHOICES, EJECTION_REASONS, HEALTH_CHECK_RESULTS, REJECTION_REASONS, RETRY_REASONS } from './label-values.js';
import { LATENCY_BUCKETS } from './latency-buckets.js';
import { STATUS_CLASSES } from './status-class.js';

describe('createBalancerMetrics', () => {
  it('gives each call a registry of its own: no shared state', async () => {
    const a = createBalancerMetrics({ defaultMetrics: false });
    const b = createBalancerMetrics({ defaultMetrics: false });
    expect(a.registry).not.toBe(b.registry);
    a.requestsTotal.inc({ algorithm: 'round_robin', backend: 'b1:5000', status_class: '2xx' }, 3);
    expect(await a.registry.metrics()).toContain('lbpoc_requests_total{algorithm="round_robin",backend="b1:5000",status_class="2xx"} 3');
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

  it('reads the algorithm gauges at each scrape, from every source until it is removed; workers average them', async () => {
    const metrics = createBalancerMetrics({ defaultMetrics: false });
    let tracked = 3;
    const stop = metrics.readAlgorithmGauges(() => [['least_time', 'tracked_servers', tracked]]);
    metrics.readAlgorithmGauges(() => [['other', 'picks', 7]]);
    expect(await metrics.registry.metrics()).toContain('lbpoc_algorithm_gauge{algorithm="least_time",gauge="tracked_servers"} 3');
    tracked = 5;
    expect(await metrics.registry.metrics()).toContain('lbpoc_algorithm_gauge{algorithm="least_time",gauge="tracked_servers"} 5');
    stop();
    const after = await metrics.registry.metrics();
    expect(after).not.toContain('least_time');
    expect(after).toContain('lbpoc_algorithm_gauge{algorithm="other",gauge="picks"} 7');
    const [gauge] = (await metrics.registry.getMetricsAsJSON()).filter((metric) => metric.name === 'lbpoc_algorithm_gauge');
    expect(gauge?.aggregator).toBe('average');
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
    // The exported bounds are LATENCY_BUCKETS, in order, then +Inf.
    const bounds = [...text.matchAll(/^lbpoc_request_duration_seconds_bucket\{le="([^"]+)"/gm)].map((match) => match[1]);
    expect(bounds).toEqual([...LATENCY_BUCKETS.map(String), '+Inf']);
    expect(text).toContain('lbpoc_request_duration_seconds_bucket{le="0.0005",algorithm="p2c",backend="b1:5000"} 1');
    expect(text).toContain('lbpoc_request_duration_seconds_bucket{le="5",algorithm="p2c",backend="b1:5000"} 1');
    expect(text).toContain('lbpoc_request_duration_seconds_bucket{le="10",algorithm="p2c",backend="b1:5000"} 2');
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

  it('takes every value of each closed set and exports it as given', async () => {
    const m = createBalancerMetrics({ defaultMetrics: false });
    for (const status_class of STATUS_CLASSES) m.requestsTotal.inc({ algorithm: 'p2c', backend: 'b1:5000', status_class });
    for (const reason of RETRY_REASONS) m.retriesTotal.inc({ algorithm: 'p2c', reason });
    for (const choice of ADAPTIVE_CHOICES) m.adaptiveDecisionsTotal.labels({ choice }).inc();
    for (const reason of REJECTION_REASONS) m.rejectedRequestsTotal.inc({ reason });
    for (const reason of EJECTION_REASONS) m.backendEjectionsTotal.inc({ backend: 'b1:5000', reason });
    for (const result of HEALTH_CHECK_RESULTS) m.healthChecksTotal.inc({ backend: 'b1:5000', result }, 2);
    const text = await m.registry.metrics();
    const valuesOf = (name: string, label: string) => [...text.matchAll(new RegExp(`^${name}\\{[^}]*\\b${label}="([^"]+)"`, 'gm'))].map((match) => match[1]);
    expect(valuesOf('lbpoc_requests_total', 'status_class')).toEqual([...STATUS_CLASSES]);
    expect(valuesOf('lbpoc_retries_total', 'reason')).toEqual([...RETRY_REASONS]);
    expect(valuesOf('lbpoc_adaptive_decisions_total', 'choice')).toEqual([...ADAPTIVE_CHOICES]);
    expect(valuesOf('lbpoc_rejected_requests_total', 'reason')).toEqual([...REJECTION_REASONS]);
    expect(valuesOf('lbpoc_backend_ejections_total', 'reason')).toEqual([...EJECTION_REASONS]);
    expect(valuesOf('lbpoc_health_checks_total', 'result')).toEqual([...HEALTH_CHECK_RESULTS]);
    expect(text).toContain('lbpoc_health_checks_total{backend="b1:5000",result="fail"} 2');
  });

  it('refuses, at compile time, a value outside a closed set', () => {
    const m = createBalancerMetrics({ defaultMetrics: false });
    // Each line is a type error (checked by `tsc`, which type-checks this file); prom-client
    // itself would take any string at run time, so the types are what holds the contract.
    // @ts-expect-error -- health checks are `pass` or `fail`.
    m.healthChecksTotal.inc({ backend: 'b1:5000', result: 'success' });
    // @ts-expect-error -- not an ejection reason.
    m.backendEjectionsTotal.inc({ backend: 'b1:5000', reason: 'consecutive_errors' });
    // @ts-expect-error -- not a retry reason.
    m.retriesTotal.labels({ algorithm: 'p2c', reason: 'timeout' });
    // @ts-expect-error -- not a rejection reason.
    m.rejectedRequestsTotal.inc({ reason: 'forbidden' });
    // @ts-expect-error -- adaptive never delegates to p2c.
    m.adaptiveDecisionsTotal.inc({ choice: 'p2c' });
    // @ts-expect-error -- a status code is not a status class: use statusClass(code).
    m.requestsTotal.inc({ algorithm: 'p2c', backend: 'b1:5000', status_class: '200' });
    expect(m.healthChecksTotal).toBeDefined();
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
      for (const reason of EJECTION_REASONS) m.backendEjectionsTotal.inc({ backend, reason });
      for (const result of HEALTH_CHECK_RESULTS) m.healthChecksTotal.inc({ backend, result });
    }
    const before = (await m.registry.metrics()).match(/backend="kept:5000"/g)?.length;
    await m.forgetBackend('gone:5000');
    const text = await m.registry.metrics();
    expect(text).not.toContain('gone:5000');
    expect(text.match(/backend="kept:5000"/g)?.length).toBe(before);
  });
});
