import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertRules, PROMETHEUS_DIR } from './support/alert-rules.js';
import { allPanelQueries, allTemplateVariables } from './support/dashboards-json.js';
import { labelProblems, lbpocMatchers } from './support/promql-labels.js';

/**
 * The dashboards (the committed JSON Grafana loads) and the alert rules select series only
 * by labels their metric has and by values it can take: a matcher on a value the balancer
 * never emits (`result="success"` where it emits `pass`) is no error to Prometheus, just a
 * panel that stays empty or an alert that never fires. The closed sets come from
 * @lbpoc/metrics (and @lbpoc/algorithms for `algorithm`).
 */
const queries = [
  ...allPanelQueries()
    .filter((q) => q.datasource === 'prometheus')
    .map((q) => ({ where: `${q.dashboard} / ${q.panel} (${q.refId})`, expr: q.query })),
  ...allTemplateVariables().map((v) => ({ where: `${v.dashboard} / variable ${v.name}`, expr: v.query })),
  ...alertRules().map((rule) => ({ where: `${rule.file} / ${rule.alert}`, expr: rule.expr })),
];

/** The series and expressions of infra/prometheus/tests: the alert rules' unit tests should feed what the balancer emits. */
function ruleTestInputs(): { where: string; expr: string }[] {
  const dir = `${PROMETHEUS_DIR}tests/`;
  return readdirSync(dir)
    .filter((file) => file.endsWith('.test.yml'))
    .flatMap((file) => {
      const doc = parse(readFileSync(dir + file, 'utf8')) as { tests: { input_series?: { series: string }[]; promql_expr_test?: { expr: string }[] }[] };
      return doc.tests.flatMap((test) => [
        ...(test.input_series ?? []).map(({ series }) => ({ where: `${file} / series`, expr: series })),
        ...(test.promql_expr_test ?? []).map(({ expr }) => ({ where: `${file} / expr`, expr })),
      ]);
    });
}

describe('label names and values in dashboards and alert rules', () => {
  it('finds the selectors to check (the parser reads what the files hold)', () => {
    const matchers = queries.flatMap(({ expr }) => lbpocMatchers(expr));
    expect(matchers).toContainEqual({ series: 'lbpoc_requests_total', label: 'status_class', op: '=~', value: '5xx|error' });
    expect(matchers).toContainEqual({ series: 'lbpoc_rejected_requests_total', label: 'reason', op: '=', value: 'rate_limited' });
    expect(matchers.some((m) => m.label === 'algorithm' && m.value.includes('$algorithm'))).toBe(true);
  });

  it.each(queries.map((q) => [q.where, q.expr] as const))('%s', (_, expr) => {
    expect(labelProblems(expr)).toEqual([]);
  });

  it('holds for the input series of the alert rules’ unit tests', () => {
    const inputs = ruleTestInputs();
    expect(inputs.length).toBeGreaterThan(5);
    expect(inputs.flatMap(({ where, expr }) => labelProblems(expr).map((problem) => `${where}: ${problem}`))).toEqual([]);
  });

  it('catches a value outside a closed set, a regex where values belong, a label the metric lacks and an unknown metric', () => {
    expect(labelProblems('sum(rate(lbpoc_health_checks_total{result="success"}[5m]))')).toEqual([
      'lbpoc_health_checks_total{result="success"}: "success" is not a value of result (pass, fail)',
    ]);
    expect(labelProblems('lbpoc_backend_ejections_total{reason=~"consecutive_errors|consecutive_failures"}')).toHaveLength(1);
    expect(labelProblems('lbpoc_requests_total{status_class!~"5.."}')[0]).toMatch(/"5\.\." is not a value of status_class .*plain words/);
    expect(labelProblems('lbpoc_request_duration_seconds_bucket{algorithm="fastest", le="0.5"}')[0]).toMatch(
      /"fastest" is not a value of algorithm \(round_robin/,
    );
    expect(labelProblems('lbpoc_retries_total{job="lb", reasons="reset"}')).toEqual([
      'lbpoc_retries_total{reasons="reset"}: lbpoc_retries_total has no label reasons (its labels: algorithm, reason)',
    ]);
    expect(labelProblems('lbpoc_retry_total{reason="reset"}')[0]).toMatch(/is not a metric of @lbpoc\/metrics/);
    expect(labelProblems('label_values(lbpoc_requests_total, algorithms)')).toEqual([
      'label_values(lbpoc_requests_total, algorithms): lbpoc_requests_total has no label algorithms',
    ]);
    expect(labelProblems('lbpoc_requests_total{algorithm=~"$algorithm", status_class="2xx", instance!=""}')).toEqual([]);
  });
});
