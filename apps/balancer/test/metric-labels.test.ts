import { Adaptive, createRandom, DEFAULT_ADAPTIVE_THRESHOLDS, decideAdaptive } from '@lbpoc/algorithms';
import { ADAPTIVE_CHOICES, BALANCER_METRICS } from '@lbpoc/metrics';
import { describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from './test-backend.js';
import { startTestBalancer, waitFor } from './test-balancer.js';

/** Every `label="value"` of the closed-set labels in an exposition, as `metric{label}` -> values seen. */
function closedLabelValues(exposition: string): Map<string, Set<string>> {
  const seen = new Map<string, Set<string>>();
  for (const definition of Object.values(BALANCER_METRICS)) {
    for (const label of Object.keys('values' in definition ? definition.values : {})) {
      const values = new Set<string>();
      for (const match of exposition.matchAll(new RegExp(`^${definition.name}\\{[^}]*\\b${label}="([^"]*)"`, 'gm'))) values.add(match[1]!);
      seen.set(`${definition.name}{${label}}`, values);
    }
  }
  return seen;
}

describe('closed-set label values, as the running balancer exports them', () => {
  it('are only values of the @lbpoc/metrics tuples: health checks pass/fail, ejections, retries, rejections, adaptive choices', async () => {
    const backends: TestBackend[] = await Promise.all([0, 1].map((i) => startTestBackend(`b${i}`)));
    const lb = await startTestBalancer(backends, { EJECT_AFTER_CONNECT_FAILURES: '1', HEALTH_CHECK_FALL: '10', PANIC_THRESHOLD: '0' });
    const scrape = async () => (await fetch(`${lb.adminUrl}/metrics`)).text();
    await waitFor(async () => (await scrape()).includes('result="pass"'), 5000, 'a passed health check');

    // A dead backend: refused connections are retried elsewhere (connect_failure) and eject
    // it at once (EJECT_AFTER_CONNECT_FAILURES=1), before its failing health checks could
    // (HEALTH_CHECK_FALL=10): an ejection is counted when it takes a healthy backend out.
    await backends[1]!.kill();
    for (let i = 0; i < 4; i++) expect((await fetch(`${lb.url}/?algo=round_robin`, { method: 'POST', body: 'x' })).status).toBe(200);
    await (await fetch(`${lb.url}/`)).arrayBuffer(); // adaptive: a decision
    await (await fetch(`${lb.url}/?algo=fastest`)).arrayBuffer(); // a rejection
    await waitFor(async () => (await scrape()).includes('result="fail"'), 5000, 'a failed health check');

    const seen = closedLabelValues(await scrape());
    for (const definition of Object.values(BALANCER_METRICS)) {
      if (!('values' in definition)) continue;
      for (const [label, allowed] of Object.entries(definition.values)) {
        for (const value of seen.get(`${definition.name}{${label}}`)!) expect(allowed, `${definition.name}{${label}="${value}"}`).toContain(value);
      }
    }
    expect([...seen.get('lbpoc_health_checks_total{result}')!].sort()).toEqual(['fail', 'pass']);
    expect([...seen.get('lbpoc_backend_ejections_total{reason}')!]).toEqual(['consecutive_failures']);
    expect([...seen.get('lbpoc_retries_total{reason}')!]).toEqual(['connect_failure']);
    expect(seen.get('lbpoc_rejected_requests_total{reason}')).toContain('unknown_algorithm');
    expect(seen.get('lbpoc_adaptive_decisions_total{choice}')!.size).toBe(1);
    expect(seen.get('lbpoc_requests_total{status_class}')).toEqual(new Set(['2xx']));
  });

  it('has adaptive choose only among ADAPTIVE_CHOICES, and each of them in turn', () => {
    // The compiler holds adaptive's choices inside the tuple (src/routing/request-route.ts); this
    // holds the tuple to what adaptive can actually choose.
    const even = [{ id: 'a' }, { id: 'b' }];
    const weighted = [
      { id: 'a', weight: 3 },
      { id: 'b', weight: 1 },
    ];
    const skewed = [
      { id: 'a', inFlight: 10 },
      { id: 'b', inFlight: 0 },
    ];
    // And its load-aware rules: backends that report their load -> prequal.
    const adaptive = new Adaptive(DEFAULT_ADAPTIVE_THRESHOLDS, () => 0, createRandom(1));
    adaptive.pick(even.map((server) => ({ ...server, load: { inFlight: 0, receivedAt: 0 } })));
    expect([decideAdaptive(even), decideAdaptive(weighted), decideAdaptive(skewed), adaptive.lastUsed].sort()).toEqual([...ADAPTIVE_CHOICES].sort());
  });
});
