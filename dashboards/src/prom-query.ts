import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import { PROMETHEUS } from './datasources.js';

/** A PromQL range query on the lbpoc Prometheus, with its legend (`{{label}}` templates). */
export function promQuery(expr: string, legend: string, refId = 'A'): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder().datasource(PROMETHEUS).expr(expr).legendFormat(legend).range().refId(refId);
}

/** An instant PromQL query, for stat, gauge and table panels that show "now". */
export function promInstant(expr: string, legend: string, refId = 'A'): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder().datasource(PROMETHEUS).expr(expr).legendFormat(legend).instant().refId(refId);
}
