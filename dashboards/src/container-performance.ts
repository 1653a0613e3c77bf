import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { timeSeries } from './panels.js';
import { promQuery } from './prom-query.js';
import { labelVariable } from './variables.js';

/**
 * Container Performance (the seed's layout): CPU, memory, network and disk I/O per container
 * from cAdvisor, then restarts and health, then saturation. cAdvisor's `name` label is the
 * container name, the same value the docker_sd scrape job puts in `container`.
 */
const NAME = 'name=~"$container"';

export function containerPerformanceDashboard(): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder('Container Performance')
    .uid('lbpoc-containers')
    .description('Per-container resources from cAdvisor, restarts and scrape health, and saturation indicators.')
    .tags(['lbpoc', 'containers'])
    .refresh('10s')
    .time({ from: 'now-1h', to: 'now' })
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .withVariable(labelVariable('container', 'name', 'container_last_seen', 'Container'))
    .withPanel(
      timeSeries(
        'CPU usage by container',
        'percentunit',
        [promQuery(`sum by (name) (rate(container_cpu_usage_seconds_total{${NAME}}[$__rate_interval]))`, '{{name}}')],
        {
          width: 6,
          description: 'CPU seconds per second: 1 is one full core.',
        },
      ),
    )
    .withPanel(
      timeSeries('Memory consumption', 'bytes', [promQuery(`sum by (name) (container_memory_working_set_bytes{${NAME}})`, '{{name}}')], {
        width: 6,
        description: 'Working set: the memory the kernel counts against a limit.',
      }),
    )
    .withPanel(
      timeSeries(
        'Network I/O by container',
        'Bps',
        [
          promQuery(`sum by (name) (rate(container_network_receive_bytes_total{${NAME}}[$__rate_interval]))`, '{{name}} in', 'A'),
          promQuery(`sum by (name) (rate(container_network_transmit_bytes_total{${NAME}}[$__rate_interval]))`, '{{name}} out', 'B'),
        ],
        { width: 6 },
      ),
    )
    .withPanel(
      timeSeries(
        'Disk I/O',
        'Bps',
        [
          promQuery(`sum by (name) (rate(container_fs_reads_bytes_total{${NAME}}[$__rate_interval]))`, '{{name}} read', 'A'),
          promQuery(`sum by (name) (rate(container_fs_writes_bytes_total{${NAME}}[$__rate_interval]))`, '{{name}} write', 'B'),
        ],
        { width: 6 },
      ),
    )
    .withPanel(
      timeSeries(
        'Container restarts and health status',
        'short',
        [
          // A restart keeps the container (and its series) but moves its start time.
          promQuery(`sum by (name) (changes(container_start_time_seconds{${NAME}}[$__range]))`, 'restarts {{name}}', 'A'),
          // Health: does the container's own /metrics answer (docker_sd job, container label).
          promQuery('min by (container) (up{container=~"$container"})', 'up {{container}}', 'B'),
        ],
        {
          width: 10,
          description: 'Restarts in the dashboard time range (cAdvisor start time changes) and whether each lbpoc container answers its scrape (1) or not (0).',
        },
      ),
    )
    .withPanel(
      timeSeries(
        'Resource saturation indicators',
        'percentunit',
        [
          promQuery(
            `sum by (name) (rate(container_cpu_cfs_throttled_periods_total{${NAME}}[$__rate_interval])) / sum by (name) (rate(container_cpu_cfs_periods_total{${NAME}}[$__rate_interval]))`,
            'CPU throttled {{name}}',
            'A',
          ),
          promQuery(
            `max by (name) (container_memory_working_set_bytes{${NAME}} / (container_spec_memory_limit_bytes{${NAME}} > 0))`,
            'memory of limit {{name}}',
            'B',
          ),
        ],
        {
          width: 14,
          min: 0,
          description:
            'Share of CPU periods in which a container hit its CPU quota, and memory use as a share of its limit (containers without limits are left out).',
        },
      ),
    );
}
