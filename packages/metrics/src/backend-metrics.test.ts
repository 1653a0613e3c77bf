import { describe, expect, it } from 'vitest';
import { createBackendMetrics } from './backend-metrics.js';

describe('createBackendMetrics', () => {
  it('records requests by server id, route and status class on its own registry', async () => {
    const a = createBackendMetrics({ defaultMetrics: false });
    const b = createBackendMetrics({ defaultMetrics: false });
    a.requestsTotal.inc({ server_id: '1', route: '/', status_class: '2xx' });
    a.requestDuration.observe({ server_id: '1', route: '/cpu' }, 0.2);
    a.inFlight.set({ server_id: '1' }, 0);
    const text = await a.registry.metrics();
    expect(text).toContain('lbpoc_backend_requests_total{server_id="1",route="/",status_class="2xx"} 1');
    expect(text).toContain('lbpoc_backend_request_duration_seconds_count{server_id="1",route="/cpu"} 1');
    expect(text).toContain('lbpoc_backend_requests_in_flight{server_id="1"} 0');
    expect(await b.registry.metrics()).not.toContain('server_id="1"');
  });
});
