import { readFileSync } from 'node:fs';
import { INFLUXDB, PROMETHEUS } from '@lbpoc/dashboards';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO } from './support/local-stack.js';

/**
 * Grafana cannot run on this machine (no Debian package, no image registry), so its
 * provisioning is checked as data: the data sources the dashboards name exist with the
 * right types, and the dashboard provider is a file provider.
 */
const PROVISIONING = `${REPO}infra/grafana/provisioning/`;
const datasources = parse(readFileSync(`${PROVISIONING}datasources/datasources.yml`, 'utf8')) as {
  apiVersion: number;
  datasources: { uid: string; type: string; url: string; database?: string; isDefault?: boolean }[];
};
const providers = parse(readFileSync(`${PROVISIONING}dashboards/dashboards.yml`, 'utf8')) as {
  apiVersion: number;
  providers: { type: string; options: { path: string } }[];
};

describe('Grafana provisioning', () => {
  it('defines the two data sources the dashboards refer to by uid', () => {
    expect(datasources.apiVersion).toBe(1);
    for (const ref of [PROMETHEUS, INFLUXDB]) {
      const found = datasources.datasources.find((d) => d.uid === ref.uid);
      expect(found, `no provisioned data source with uid ${ref.uid}`).toBeDefined();
      expect(found!.type).toBe(ref.type);
    }
  });

  it('points them at the Compose services, Prometheus as the default', () => {
    const byType = Object.fromEntries(datasources.datasources.map((d) => [d.type, d]));
    expect(byType.prometheus!.url).toBe('http://prometheus:9090');
    expect(byType.prometheus!.isDefault).toBe(true);
    expect(byType.influxdb!.url).toBe('http://influxdb:8086');
    expect(byType.influxdb!.database).toBe('locust');
  });

  it('loads dashboards from one file provider path', () => {
    expect(providers.providers).toHaveLength(1);
    expect(providers.providers[0]!.type).toBe('file');
    expect(providers.providers[0]!.options.path).toMatch(/^\/var\/lib\/grafana\/dashboards\//);
  });
});
