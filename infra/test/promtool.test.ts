import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRIC_NAMES } from '@lbpoc/metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertRules, PROMETHEUS_DIR } from './support/alert-rules.js';
import { requireTool } from './support/tools.js';

/** infra/prometheus checked by the real promtool: config, rules, and rule unit tests. */
function promtool(args: string[], cwd = PROMETHEUS_DIR): { code: number | null; output: string } {
  const result = spawnSync(requireTool('promtool'), args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

const scratch: string[] = [];
function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lbpoc-promtool-'));
  scratch.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

const RULE_FILES = readdirSync(`${PROMETHEUS_DIR}rules`)
  .filter((f) => f.endsWith('.yml'))
  .map((f) => `rules/${f}`);
const TEST_FILES = readdirSync(`${PROMETHEUS_DIR}tests`)
  .filter((f) => f.endsWith('.test.yml'))
  .map((f) => `tests/${f}`);

describe('promtool', () => {
  it('check config: prometheus.yml is valid and finds the rule files', () => {
    const { code, output } = promtool(['check', 'config', 'prometheus.yml']);
    expect(code, output).toBe(0);
    expect(output).toMatch(new RegExp(`SUCCESS: ${RULE_FILES.length} rule files found`));
  });

  it('check config needs no Docker: docker_sd is only validated, not connected to', () => {
    // The same config pointed at a Docker socket that cannot exist: still valid,
    // so CI (and a laptop without Docker) can check it.
    const dir = scratchDir();
    cpSync(`${PROMETHEUS_DIR}rules`, join(dir, 'rules'), { recursive: true });
    const config = readFileSync(`${PROMETHEUS_DIR}prometheus.yml`, 'utf8');
    const hosts = /- host: (\S+)/.exec(config);
    expect(hosts?.[1], 'a docker_sd host').toBe('tcp://docker-api:2375');
    writeFileSync(join(dir, 'prometheus.yml'), config.replace(hosts![0], `- host: unix://${dir}/no/such/docker.sock`));
    const { code, output } = promtool(['check', 'config', 'prometheus.yml'], dir);
    expect(code, output).toBe(0);
  });

  it('check config rejects a broken config (the check can fail)', () => {
    const dir = scratchDir();
    writeFileSync(
      join(dir, 'prometheus.yml'),
      'scrape_configs:\n  - job_name: x\n    docker_sd_configs:\n      - host: unix:///var/run/docker.sock\n    relabel_configs:\n      - action: keep_if_lucky\n',
    );
    const { code } = promtool(['check', 'config', 'prometheus.yml'], dir);
    expect(code).not.toBe(0);
  });

  it('check rules: every rule file is valid', () => {
    const { code, output } = promtool(['check', 'rules', ...RULE_FILES]);
    expect(code, output).toBe(0);
  });

  it('test rules: every unit test passes', () => {
    expect(TEST_FILES.length).toBeGreaterThan(0);
    const { code, output } = promtool(['test', 'rules', ...TEST_FILES]);
    expect(code, output).toBe(0);
    expect(output).not.toContain('FAILED');
  });

  it('test rules would catch a wrong expectation', () => {
    // Flip one expectation: promtool must fail, or the tests above prove nothing.
    const dir = scratchDir();
    cpSync(`${PROMETHEUS_DIR}rules`, join(dir, 'rules'), { recursive: true });
    cpSync(`${PROMETHEUS_DIR}tests`, join(dir, 'tests'), { recursive: true });
    const file = join(dir, 'tests/backends.test.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('severity: critical', 'severity: warning'));
    const { code, output } = promtool(['test', 'rules', 'tests/backends.test.yml'], dir);
    expect(code).not.toBe(0);
    expect(output).toContain('FAILED');
  });
});

describe('alert rules', () => {
  const rules = alertRules();
  const tests = TEST_FILES.flatMap((file) => {
    const doc = parse(readFileSync(PROMETHEUS_DIR + file, 'utf8')) as { tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[] };
    return doc.tests.flatMap((t) => t.alert_rule_test ?? []);
  });

  it('are the five the issue asks for', () => {
    expect(rules.map((r) => r.alert).sort()).toEqual([
      'LbpocBackendDown',
      'LbpocHighErrorRatio',
      'LbpocHighLatencyP99',
      'LbpocNoHealthyBackend',
      'LbpocRateLimiting',
    ]);
  });

  it.each(rules.map((r) => [r.alert, r] as const))('%s has a severity, a summary and a description', (_, rule) => {
    expect(['critical', 'warning', 'info']).toContain(rule.labels?.severity);
    expect(rule.annotations?.summary).toBeTruthy();
    expect(rule.annotations?.description).toBeTruthy();
  });

  it.each(rules.map((r) => [r.alert] as const))('%s has a unit test where it fires and one where it does not', (alert) => {
    const mine = tests.filter((t) => t.alertname === alert);
    expect(
      mine.some((t) => t.exp_alerts.length > 0),
      `no firing test for ${alert}`,
    ).toBe(true);
    expect(
      mine.some((t) => t.exp_alerts.length === 0),
      `no not-firing test for ${alert}`,
    ).toBe(true);
  });

  it('use only lbpoc_ metric names from the @lbpoc/metrics contract', () => {
    const known = new Set(METRIC_NAMES.flatMap((name) => [name, `${name}_bucket`, `${name}_sum`, `${name}_count`]));
    for (const rule of rules) for (const name of rule.expr.match(/\blbpoc_[a-z_]+/g) ?? []) expect(known, `${rule.alert}: ${name}`).toContain(name);
  });
});
