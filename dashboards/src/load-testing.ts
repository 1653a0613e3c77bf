import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import { influxQuery } from './influxql-query.js';
import { heatmapPanel, statPanel, timeSeries } from './panels.js';
import { promInstant, promQuery } from './prom-query.js';

/**
 * Load Testing Analysis: what Locust sees (its exporter in Prometheus, and every request
 * it wrote to InfluxDB), next to what the balancer measured for the same traffic.
 *
 * InfluxDB layout (infra/locust/influx_writer.py): measurement `requests`, tags
 * `name`, `method`, `algorithm`, `result` (success|failure), fields `response_time` (ms),
 * `response_length`, `status_code`; measurement `users`, field `user_count`.
 */
const NOT_TOTAL = 'name!="Aggregated"';

export function loadTestingDashboard(): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder('Load Testing Analysis')
    .uid('lbpoc-load-testing')
    .description(
      'Locust load tests: throughput, response-time distribution, errors and users, from Locust (Prometheus exporter and InfluxDB) and from the balancer.',
    )
    .tags(['lbpoc', 'locust'])
    .refresh('5s')
    .time({ from: 'now-30m', to: 'now' })
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .withRow(new dashboard.RowBuilder('Locust (exporter)'))
    .withPanel(statPanel('Users', 'short', [promInstant('sum(locust_users)', 'users')], { width: 4 }))
    .withPanel(statPanel('Requests/s', 'reqps', [promInstant(`sum(locust_requests_current_rps{${NOT_TOTAL}})`, 'rps')], { width: 4 }))
    .withPanel(statPanel('Failure ratio', 'percentunit', [promInstant('max(locust_requests_fail_ratio)', 'fail ratio')], { width: 4 }))
    .withPanel(
      timeSeries(
        'Throughput and failures (Locust)',
        'reqps',
        [
          promQuery(`sum by (name) (locust_requests_current_rps{${NOT_TOTAL}})`, '{{name}}', 'A'),
          promQuery(`sum(locust_requests_current_fail_per_sec{${NOT_TOTAL}})`, 'failures/s', 'B'),
        ],
        { width: 12, height: 8 },
      ),
    )
    .withPanel(
      timeSeries(
        'Response time (Locust)',
        'ms',
        [
          promQuery('max(locust_requests_current_response_time_percentile_50)', 'p50', 'A'),
          promQuery('max(locust_requests_current_response_time_percentile_95)', 'p95', 'B'),
          promQuery(`max by (name) (locust_requests_avg_response_time{${NOT_TOTAL}})`, 'mean {{name}}', 'C'),
        ],
        { width: 12 },
      ),
    )
    .withPanel(timeSeries('Users (Locust)', 'short', [promQuery('sum(locust_users)', 'users')], { width: 12 }))
    .withRow(new dashboard.RowBuilder('Every request (InfluxDB)'))
    .withPanel(
      timeSeries(
        'Requests per second by algorithm (InfluxDB)',
        'reqps',
        [
          influxQuery(
            'SELECT count("response_time") / $__interval_ms * 1000 FROM "requests" WHERE $timeFilter GROUP BY time($__interval), "algorithm" fill(0)',
            '$tag_algorithm',
          ),
        ],
        { width: 12, stacked: true, description: 'One point per request, written by the Locust listener; counted per interval.' },
      ),
    )
    .withPanel(
      timeSeries(
        'Response-time distribution (InfluxDB)',
        'ms',
        [
          influxQuery('SELECT percentile("response_time", 50) FROM "requests" WHERE $timeFilter GROUP BY time($__interval) fill(none)', 'p50', 'A'),
          influxQuery('SELECT percentile("response_time", 95) FROM "requests" WHERE $timeFilter GROUP BY time($__interval) fill(none)', 'p95', 'B'),
          influxQuery('SELECT percentile("response_time", 99) FROM "requests" WHERE $timeFilter GROUP BY time($__interval) fill(none)', 'p99', 'C'),
          influxQuery('SELECT max("response_time") FROM "requests" WHERE $timeFilter GROUP BY time($__interval) fill(none)', 'max', 'D'),
        ],
        { width: 12, description: 'Exact percentiles over every request Locust made (not a histogram estimate).' },
      ),
    )
    .withPanel(
      timeSeries(
        'Results (InfluxDB)',
        'short',
        [influxQuery('SELECT count("response_time") FROM "requests" WHERE $timeFilter GROUP BY time($__interval), "result" fill(0)', '$tag_result')],
        { width: 8, stacked: true, description: "Requests per interval that succeeded or failed in Locust's eyes." },
      ),
    )
    .withPanel(
      timeSeries(
        'p95 response time by algorithm (InfluxDB)',
        'ms',
        [
          influxQuery(
            'SELECT percentile("response_time", 95) FROM "requests" WHERE $timeFilter GROUP BY time($__interval), "algorithm" fill(none)',
            '$tag_algorithm',
          ),
        ],
        { width: 8 },
      ),
    )
    .withPanel(
      timeSeries(
        'Users (InfluxDB)',
        'short',
        [influxQuery('SELECT max("user_count") FROM "users" WHERE $timeFilter GROUP BY time($__interval) fill(previous)', 'users')],
        {
          width: 8,
        },
      ),
    )
    .withRow(new dashboard.RowBuilder('The same traffic at the balancer'))
    .withPanel(
      heatmapPanel(
        'Response-time distribution (balancer)',
        's',
        [promQuery('sum by (le) (increase(lbpoc_request_duration_seconds_bucket[$__rate_interval]))', '{{le}}').format(prometheus.PromQueryFormat.Heatmap)],
        { width: 12, description: 'lbpoc_request_duration_seconds buckets over time: where the bulk of requests and the tail sit.' },
      ),
    )
    .withPanel(
      timeSeries(
        'Throughput and error rate (balancer)',
        'reqps',
        [
          promQuery('sum(rate(lbpoc_requests_total[$__rate_interval]))', 'requests/s', 'A'),
          promQuery('sum(rate(lbpoc_requests_total{status_class=~"5xx|error"}[$__rate_interval])) or vector(0)', 'failed/s', 'B'),
        ],
        { width: 12 },
      ),
    );
}
