import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { tablePanel, timeSeries } from './panels.js';
import { promInstant, promQuery } from './prom-query.js';
import { labelVariable } from './variables.js';

/**
 * Algorithm Performance Comparison (the seed's layout): response time by algorithm on top,
 * then request distribution, server utilization and error rates, then the adaptive
 * selector's timeline. Only lbpoc_* metrics from packages/metrics/README.md.
 */
const ALGO = 'algorithm=~"$algorithm"';
const BACKEND = 'backend=~"$backend"';

function latencyQuantile(quantile: number, refId: string) {
  return promQuery(
    `histogram_quantile(${quantile}, sum by (le, algorithm) (rate(lbpoc_request_duration_seconds_bucket{${ALGO}}[$__rate_interval])))`,
    `{{algorithm}} p${Math.round(quantile * 100)}`,
    refId,
  );
}

export function algorithmComparisonDashboard(): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder('Algorithm Performance Comparison')
    .uid('lbpoc-algorithms')
    .description(
      'How each load-balancing algorithm spreads requests and what latency and errors clients see through it. Pick algorithms per request with ?algo=.',
    )
    .tags(['lbpoc', 'balancer'])
    .refresh('10s')
    .time({ from: 'now-30m', to: 'now' })
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .withVariable(labelVariable('algorithm', 'algorithm', 'lbpoc_requests_total', 'Algorithm'))
    .withVariable(labelVariable('backend', 'backend', 'lbpoc_requests_total', 'Backend'))
    .withRow(new dashboard.RowBuilder('Response time by algorithm'))
    .withPanel(
      timeSeries('Response time by algorithm (p50, p95, p99)', 's', [latencyQuantile(0.5, 'A'), latencyQuantile(0.95, 'B'), latencyQuantile(0.99, 'C')], {
        width: 24,
        height: 10,
        description: 'Quantiles of lbpoc_request_duration_seconds per algorithm: from the balancer receiving a request to the response being finished.',
      }),
    )
    .withPanel(
      timeSeries(
        'Throughput by algorithm',
        'reqps',
        [promQuery(`sum by (algorithm) (rate(lbpoc_requests_total{${ALGO}}[$__rate_interval]))`, '{{algorithm}}')],
        {
          width: 12,
          stacked: true,
        },
      ),
    )
    .withPanel(
      timeSeries(
        'Mean response time by algorithm',
        's',
        [
          promQuery(
            `sum by (algorithm) (rate(lbpoc_request_duration_seconds_sum{${ALGO}}[$__rate_interval])) / sum by (algorithm) (rate(lbpoc_request_duration_seconds_count{${ALGO}}[$__rate_interval]))`,
            '{{algorithm}}',
          ),
        ],
        { width: 12 },
      ),
    )
    .withRow(new dashboard.RowBuilder('Distribution, utilization, errors'))
    .withPanel(
      timeSeries(
        'Request distribution per backend',
        'reqps',
        [promQuery(`sum by (backend) (rate(lbpoc_requests_total{${ALGO}, ${BACKEND}}[$__rate_interval]))`, '{{backend}}')],
        {
          width: 8,
          stacked: true,
          description: 'Requests per second each backend received, for the selected algorithms.',
        },
      ),
    )
    .withPanel(
      timeSeries(
        'Server utilization (in flight / weight)',
        'short',
        [promQuery(`sum by (backend) (lbpoc_backend_in_flight{${BACKEND}}) / sum by (backend) (lbpoc_backend_weight{${BACKEND}} > 0)`, '{{backend}}', 'A')],
        {
          width: 8,
          description:
            'Requests outstanding on each backend divided by its effective weight: equal lines mean load in proportion to capacity. Backends with weight 0 (drained) are left out.',
        },
      ),
    )
    .withPanel(
      timeSeries(
        'Error rate by algorithm',
        'percentunit',
        [
          // `or ... * 0`: an algorithm with traffic but no errors shows 0, not a gap.
          promQuery(
            `(sum by (algorithm) (rate(lbpoc_requests_total{${ALGO}, status_class=~"5xx|error"}[$__rate_interval])) or sum by (algorithm) (rate(lbpoc_requests_total{${ALGO}}[$__rate_interval])) * 0) / sum by (algorithm) (rate(lbpoc_requests_total{${ALGO}}[$__rate_interval]))`,
            '{{algorithm}}',
          ),
        ],
        { width: 8, min: 0, description: '5xx answers and requests that got no answer, as a share of all requests, per algorithm.' },
      ),
    )
    .withPanel(
      tablePanel(
        'Share of each backend per algorithm (time range)',
        'percentunit',
        [
          promInstant(
            `sum by (algorithm, backend) (increase(lbpoc_requests_total{${ALGO}, ${BACKEND}}[$__range])) / ignoring (backend) group_left sum by (algorithm) (increase(lbpoc_requests_total{${ALGO}}[$__range]))`,
            '{{algorithm}} {{backend}}',
          ),
        ],
        { width: 12, description: 'Which backends each algorithm sent its requests to over the dashboard time range.' },
      ),
    )
    .withPanel(
      timeSeries(
        'Retries, rejections and 503 no backend',
        'reqps',
        [
          promQuery(`sum by (reason) (rate(lbpoc_retries_total[$__rate_interval]))`, 'retry {{reason}}', 'A'),
          promQuery(`sum by (reason) (rate(lbpoc_rejected_requests_total[$__rate_interval]))`, 'rejected {{reason}}', 'B'),
          promQuery(`sum by (algorithm) (rate(lbpoc_no_backend_total[$__rate_interval]))`, 'no backend ({{algorithm}})', 'C'),
        ],
        { width: 12 },
      ),
    )
    .withRow(new dashboard.RowBuilder('Adaptive selection'))
    .withPanel(
      timeSeries(
        'Algorithm selection timeline (adaptive)',
        'reqps',
        [promQuery('sum by (choice) (rate(lbpoc_adaptive_decisions_total[$__rate_interval]))', '{{choice}}')],
        {
          width: 24,
          stacked: true,
          description: 'Which algorithm the adaptive selector delegated each request to, over time (requests without ?algo= or with ?algo=adaptive).',
        },
      ),
    );
}
