import { ALGORITHM_NAMES } from '@lbpoc/algorithms';
import { METRIC_DEFINITIONS, type MetricDefinition } from '@lbpoc/metrics';

/** One `label op "value"` inside the braces of an `lbpoc_` selector. */
export interface LabelMatcher {
  /** As written: the metric's name, or a histogram's `_bucket`/`_sum`/`_count` series. */
  readonly series: string;
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/**
 * Labels every lbpoc_ series carries besides its own: Prometheus' `job` and `instance`, what
 * infra/prometheus/prometheus.yml's relabelling adds (`pool`, `container`), its external
 * label `stack`.
 */
export const TARGET_LABELS: readonly string[] = ['job', 'instance', 'pool', 'container', 'stack'];

/**
 * The closed set of each (metric, label) that has one: @lbpoc/metrics' tuples (a
 * definition's `values`), and `algorithm`, whose values are @lbpoc/algorithms' wire names.
 */
function closedSet(definition: MetricDefinition, label: string): readonly string[] | undefined {
  return definition.values?.[label] ?? (label === 'algorithm' ? ALGORITHM_NAMES : undefined);
}

const SELECTOR = /\b(lbpoc_[a-z_]+)\s*\{([^}]*)\}/g;
const MATCHER = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/gy;
const LABEL_VALUES = /\blabel_values\(\s*(lbpoc_[a-z_]+)\s*(?:\{[^}]*\})?\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)/g;

/** Every label matcher of every `lbpoc_…{…}` selector in a PromQL expression (or a promtool series). */
export function lbpocMatchers(expr: string): LabelMatcher[] {
  const matchers: LabelMatcher[] = [];
  for (const [selector, series, inside] of expr.matchAll(SELECTOR)) {
    MATCHER.lastIndex = 0;
    let consumed = 0;
    for (let match = MATCHER.exec(inside!); match !== null; match = MATCHER.exec(inside!)) {
      matchers.push({ series: series!, label: match[1]!, op: match[2] as LabelMatcher['op'], value: match[3]!.replace(/\\(.)/g, '$1') });
      consumed = MATCHER.lastIndex;
    }
    if (inside!.slice(consumed).trim() !== '') throw new Error(`cannot read the label matchers of ${selector}`);
  }
  return matchers;
}

/** The contract's definition of a series name (a histogram's `_bucket`, `_sum`, `_count` included). */
function definitionOf(series: string): MetricDefinition | undefined {
  return METRIC_DEFINITIONS.find(
    (d) => d.name === series || (d.type === 'histogram' && [`${d.name}_bucket`, `${d.name}_sum`, `${d.name}_count`].includes(series)),
  );
}

/**
 * What is wrong with the lbpoc_ selectors of `expr`, one sentence each: a metric not in
 * the contract, a label the metric does not have, or a value outside a closed set (for
 * `=~` and `!~`, every alternative of `a|b|c`, which must then be plain values). A value
 * with a Grafana variable (`$algorithm`) is left to Grafana. Empty: nothing wrong.
 */
export function labelProblems(expr: string): string[] {
  const problems: string[] = [];
  for (const { series, label, op, value } of lbpocMatchers(expr)) {
    const where = `${series}{${label}${op}"${value}"}`;
    const definition = definitionOf(series);
    if (definition === undefined) {
      problems.push(`${where}: ${series} is not a metric of @lbpoc/metrics`);
      continue;
    }
    const isBucketBound = label === 'le' && series.endsWith('_bucket');
    if (!definition.labels.includes(label) && !TARGET_LABELS.includes(label) && !isBucketBound) {
      problems.push(`${where}: ${definition.name} has no label ${label} (its labels: ${definition.labels.join(', ') || 'none'})`);
      continue;
    }
    const allowed = closedSet(definition, label);
    if (allowed === undefined || value.includes('$')) continue;
    const alternatives = op === '=~' || op === '!~' ? value.split('|') : [value];
    for (const alternative of alternatives) {
      if (allowed.includes(alternative)) continue;
      const hint = /[.*+?()[\]{}^\\]/.test(alternative) ? '; list the values as plain words, a|b' : '';
      problems.push(`${where}: "${alternative}" is not a value of ${label} (${allowed.join(', ')})${hint}`);
    }
  }
  for (const [call, metric, label] of expr.matchAll(LABEL_VALUES)) {
    const definition = definitionOf(metric!);
    if (definition === undefined) problems.push(`${call}: ${metric} is not a metric of @lbpoc/metrics`);
    else if (!definition.labels.includes(label!) && !TARGET_LABELS.includes(label!)) problems.push(`${call}: ${metric} has no label ${label}`);
  }
  return problems;
}
