import { METRIC_NAMES } from '@lbpoc/metrics';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS, dashboardJson, INFLUXDB, PROMETHEUS, panelQueries, templateVariables } from '../src/index.js';

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: unknown;
  targets?: { datasource?: { uid?: string } }[];
}
const models = Object.fromEntries(
  Object.keys(DASHBOARDS).map((name) => [name, JSON.parse(dashboardJson(name)) as { uid: string; title: string; panels: Panel[] }]),
);
const all = Object.values(models);

/** What Grafana fills in itself; anything else with a `$` must be a dashboard variable. */
const GRAFANA_BUILTINS = new Set(['__rate_interval', '__interval', '__interval_ms', '__range', 'timeFilter']);

describe('dashboard structure', () => {
  it('has the seed four dashboards with unique uids', () => {
    expect(all.map((d) => d.title).sort()).toEqual(['Algorithm Performance Comparison', 'Container Performance', 'Load Testing Analysis', 'System Health']);
    expect(new Set(all.map((d) => d.uid)).size).toBe(4);
  });

  it.each(Object.keys(models))('%s: panel ids are 1..n and unique', (name) => {
    const ids = models[name]!.panels.map((p) => p.id);
    expect(ids).toEqual(ids.map((_, i) => i + 1));
  });

  it('points every query at one of the two provisioned data sources', () => {
    for (const dash of all) {
      for (const panel of dash.panels) {
        for (const target of panel.targets ?? []) expect([PROMETHEUS.uid, INFLUXDB.uid], `${dash.title} / ${panel.title}`).toContain(target.datasource?.uid);
      }
    }
  });

  it('uses only lbpoc_ metric names from the @lbpoc/metrics contract', () => {
    const known = new Set(METRIC_NAMES.flatMap((name) => [name, `${name}_bucket`, `${name}_sum`, `${name}_count`]));
    const used = new Set(all.flatMap((dash) => [...panelQueries(dash), ...templateVariables(dash)].flatMap((q) => q.query.match(/\blbpoc_[a-z_]+/g) ?? [])));
    expect(used.size).toBeGreaterThan(5);
    for (const name of used) expect(known, `${name} is not in packages/metrics/README.md`).toContain(name);
  });

  it('refers only to variables the dashboard defines or Grafana provides', () => {
    for (const dash of all) {
      const defined = new Set([...templateVariables(dash).map((v) => v.name), ...GRAFANA_BUILTINS]);
      for (const q of panelQueries(dash)) {
        for (const [, a, b] of q.query.matchAll(/\$(?:\{(\w+)[^}]*\}|(\w+))/g)) expect(defined, `${dash.title} / ${q.panel}: ${q.query}`).toContain(a ?? b);
      }
    }
  });

  it('lays out the seed panels of each dashboard', () => {
    const titles = (name: string) => models[name]!.panels.map((p) => p.title).join('\n');
    expect(titles('algorithm-comparison')).toMatch(
      /Response time by algorithm[\s\S]*Request distribution[\s\S]*Server utilization[\s\S]*Error rate[\s\S]*Algorithm selection timeline/,
    );
    expect(titles('container-performance')).toMatch(/CPU usage[\s\S]*Memory[\s\S]*Network I\/O[\s\S]*Disk I\/O[\s\S]*restarts and health[\s\S]*saturation/i);
    expect(titles('system-health')).toMatch(/Services up[\s\S]*CPU[\s\S]*Memory[\s\S]*Disk[\s\S]*Network[\s\S]*error/i);
    expect(titles('load-testing')).toMatch(/Users[\s\S]*Throughput[\s\S]*Response[\s\S]*InfluxDB/);
  });

  it('reads both Locust sources on the load testing dashboard', () => {
    const queries = panelQueries(models['load-testing']);
    expect(queries.filter((q) => q.datasource === 'influxdb').length).toBeGreaterThanOrEqual(4);
    expect(queries.some((q) => q.query.includes('locust_users'))).toBe(true);
  });
});

describe('panelQueries', () => {
  it('finds queries inside collapsed rows and refuses a target it cannot read', () => {
    const nested = {
      title: 'T',
      panels: [{ title: 'row', type: 'row', panels: [{ title: 'p', targets: [{ refId: 'A', datasource: { type: 'prometheus' }, expr: 'up' }] }] }],
    };
    expect(panelQueries(nested)).toEqual([{ dashboard: 'T', panel: 'p', refId: 'A', datasource: 'prometheus', query: 'up', instant: false }]);
    expect(() => panelQueries({ title: 'T', panels: [{ title: 'p', targets: [{ datasource: { type: 'loki' }, expr: 'x' }] }] })).toThrow(
      /T \/ p: a target with data source loki/,
    );
  });
});
