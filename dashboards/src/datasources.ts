import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';

/**
 * The two data sources every panel names by uid. The uids are fixed in
 * infra/grafana/provisioning/datasources/datasources.yml, so a provisioned Grafana resolves
 * them without a data source variable; a test keeps the two files in step.
 */
export const PROMETHEUS: DataSourceRef = { type: 'prometheus', uid: 'lbpoc-prometheus' };
export const INFLUXDB: DataSourceRef = { type: 'influxdb', uid: 'lbpoc-influxdb' };
