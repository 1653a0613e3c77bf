import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PROMETHEUS } from './datasources.js';

/**
 * A multi-value variable filled from `label_values(metric, label)`. "All" is `.*`, so panels
 * match it with `=~"$name"`; that also keeps every query valid PromQL once substituted.
 */
export function labelVariable(name: string, label: string, metric: string, title: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name)
    .label(title)
    .datasource(PROMETHEUS)
    .query({ qryType: 1, query: `label_values(${metric}, ${label})`, refId: 'PrometheusVariableQueryEditor-VariableQuery' })
    .definition(`label_values(${metric}, ${label})`)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ selected: true, text: ['All'], value: ['$__all'] });
}
