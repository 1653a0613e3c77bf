import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { statPanel, timeSeries } from './panels.js';
import { promInstant, promQuery } from './prom-query.js';
import { labelVariable } from './variables.js';

/**
 * System Health: the host (node exporter), whether every scraped service answers (`up`),
 * and the error rates clients and backends see.
 */
const NODE = 'instance=~"$node"';

export function systemHealthDashboard(): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder('System Health')
    .uid('lbpoc-system-health')
    .description('Host resources from the node exporter, availability of every scraped service, and error rates.')
    .tags(['lbpoc', 'host'])
    .refresh('10s')
    .time({ from: 'now-1h', to: 'now' })
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .withVariable(labelVariable('node', 'instance', 'node_uname_info', 'Host'))
    .withRow(new dashboard.RowBuilder('Service availability'))
    .withPanel(statPanel('Services up', 'short', [promInstant('sum(up)', 'up')], { width: 4, description: 'Scrape targets answering right now.' }))
    .withPanel(statPanel('Services down', 'short', [promInstant('count(up == 0) or vector(0)', 'down')], { width: 4 }))
    .withPanel(
      statPanel('Healthy backends', 'short', [promInstant('sum(lbpoc_backend_up)', 'healthy')], {
        width: 4,
        description: 'Backends the balancer routes to (lbpoc_backend_up).',
      }),
    )
    .withPanel(statPanel('Panic mode', 'bool_on_off', [promInstant('max(lbpoc_panic_mode)', 'panic')], { width: 4 }))
    .withPanel(
      timeSeries('Availability by job', 'percentunit', [promQuery('avg by (job) (avg_over_time(up[$__rate_interval]))', '{{job}}')], {
        width: 8,
        height: 4,
        min: 0,
        max: 1,
      }),
    )
    .withRow(new dashboard.RowBuilder('Host'))
    .withPanel(
      timeSeries(
        'CPU busy',
        'percentunit',
        [promQuery(`1 - avg by (instance) (rate(node_cpu_seconds_total{${NODE}, mode="idle"}[$__rate_interval]))`, '{{instance}}')],
        {
          width: 8,
          min: 0,
          max: 1,
        },
      ),
    )
    .withPanel(
      timeSeries(
        'Load average (1m) per CPU',
        'short',
        [promQuery(`node_load1{${NODE}} / on (instance) count by (instance) (node_cpu_seconds_total{${NODE}, mode="idle"})`, '{{instance}}')],
        {
          width: 8,
          description: 'Above 1: more runnable tasks than CPUs, the host is saturated.',
        },
      ),
    )
    .withPanel(
      timeSeries(
        'Memory used',
        'percentunit',
        [promQuery(`1 - node_memory_MemAvailable_bytes{${NODE}} / node_memory_MemTotal_bytes{${NODE}}`, '{{instance}}')],
        {
          width: 8,
          min: 0,
          max: 1,
        },
      ),
    )
    .withPanel(
      timeSeries(
        'Disk space used',
        'percentunit',
        [
          promQuery(
            `1 - node_filesystem_avail_bytes{${NODE}, fstype!~"tmpfs|ramfs|squashfs|nsfs|fuse.lxcfs"} / node_filesystem_size_bytes{${NODE}, fstype!~"tmpfs|ramfs|squashfs|nsfs|fuse.lxcfs"}`,
            '{{instance}} {{mountpoint}}',
          ),
        ],
        { width: 8, min: 0, max: 1 },
      ),
    )
    .withPanel(
      timeSeries(
        'Disk I/O',
        'Bps',
        [
          promQuery(`sum by (instance) (rate(node_disk_read_bytes_total{${NODE}}[$__rate_interval]))`, '{{instance}} read', 'A'),
          promQuery(`sum by (instance) (rate(node_disk_written_bytes_total{${NODE}}[$__rate_interval]))`, '{{instance}} write', 'B'),
        ],
        { width: 8 },
      ),
    )
    .withPanel(
      timeSeries(
        'Network',
        'Bps',
        [
          promQuery(`sum by (instance) (rate(node_network_receive_bytes_total{${NODE}, device!="lo"}[$__rate_interval]))`, '{{instance}} in', 'A'),
          promQuery(`sum by (instance) (rate(node_network_transmit_bytes_total{${NODE}, device!="lo"}[$__rate_interval]))`, '{{instance}} out', 'B'),
        ],
        { width: 8 },
      ),
    )
    .withRow(new dashboard.RowBuilder('Error rates'))
    .withPanel(
      timeSeries(
        'Balancer error ratio',
        'percentunit',
        [
          promQuery(
            '(sum(rate(lbpoc_requests_total{status_class=~"5xx|error"}[$__rate_interval])) or sum(rate(lbpoc_requests_total[$__rate_interval])) * 0) / sum(rate(lbpoc_requests_total[$__rate_interval]))',
            'failed share',
          ),
        ],
        { width: 12, min: 0, description: 'The LbpocHighErrorRatio alert fires above 5% over 5 minutes.' },
      ),
    )
    .withPanel(
      timeSeries(
        'Backend answers by status class',
        'reqps',
        [promQuery('sum by (server_id, status_class) (rate(lbpoc_backend_requests_total[$__rate_interval]))', '{{server_id}} {{status_class}}')],
        { width: 12, stacked: true, description: 'What the backends themselves answered (their own /metrics), health checks included.' },
      ),
    );
}
