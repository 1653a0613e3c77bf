import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { REPO } from './local-stack.js';

export const PROMETHEUS_DIR = `${REPO}infra/prometheus/`;

export interface AlertRule {
  file: string;
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Every alerting rule in infra/prometheus/rules/*.yml. */
export function alertRules(): AlertRule[] {
  const dir = `${PROMETHEUS_DIR}rules/`;
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yml'))
    .sort()
    .flatMap((file) => {
      const doc = parse(readFileSync(dir + file, 'utf8')) as { groups: { rules: Omit<AlertRule, 'file'>[] }[] };
      return doc.groups.flatMap((group) => group.rules.filter((rule) => rule.alert).map((rule) => ({ ...rule, file })));
    });
}
