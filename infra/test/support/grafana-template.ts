/**
 * Grafana fills template variables in before a query reaches the data source. These do the
 * same for the tests, with the values a dashboard has when opened: every variable at "All"
 * (`.*`, the variables' allValue) and intervals that suit a test whose Prometheus scrapes
 * every second.
 */
export const TEST_INTERVALS = {
  __rate_interval: '10s',
  __interval: '2s',
  __interval_ms: '2000',
  __range: '5m',
} as const;

const VARIABLE = /\$\{(\w+)(?::\w+)?\}|\$(\w+)/g;

export function substitutePromQL(expr: string): string {
  return expr.replace(VARIABLE, (_, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    return name in TEST_INTERVALS ? TEST_INTERVALS[name as keyof typeof TEST_INTERVALS] : '.*';
  });
}

/** InfluxQL: `$timeFilter` is Grafana's WHERE clause for the dashboard's time range. */
export function substituteInfluxQL(query: string, range = '15m'): string {
  return query.replaceAll('$timeFilter', `time > now() - ${range}`).replaceAll('$__interval_ms', '1000').replaceAll('$__interval', '1s');
}

/**
 * `label_values(metric, label)` (a Grafana function, not PromQL) as the PromQL that has
 * the same answer set: one series per value of `label`.
 */
export function labelValuesAsPromQL(query: string): string {
  const match = /^label_values\(\s*([^,]+?)\s*,\s*(\w+)\s*\)$/.exec(query.trim());
  if (!match) throw new Error(`not a label_values(metric, label) query: ${query}`);
  return `count by (${match[2]}) (${match[1]})`;
}

/**
 * An alert expression without its final threshold (`... > 0.05`): the signal the alert
 * watches, which should have data whenever the metrics exist, firing or not.
 */
export function alertSignal(expr: string): string {
  const match = /^([\s\S]*?)\s*(?:==|!=|>=|<=|>|<)\s*[0-9.]+\s*$/.exec(expr.trim());
  if (!match) throw new Error(`alert expression does not end in a comparison with a number: ${expr}`);
  return match[1]!;
}
