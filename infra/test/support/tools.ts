import { accessSync, constants } from 'node:fs';

/**
 * The real tools these tests run, from Debian. A missing tool fails the test (never a
 * skip) with the one command that installs it.
 */
export const TOOLS = {
  prometheus: { path: '/usr/bin/prometheus', apt: 'prometheus' },
  promtool: { path: '/usr/bin/promtool', apt: 'prometheus' },
  nodeExporter: { path: '/usr/bin/prometheus-node-exporter', apt: 'prometheus-node-exporter' },
  // Debian's Locust: the `python3` first on PATH may be another interpreter without it.
  locust: { path: '/usr/bin/locust', apt: 'python3-locust' },
  python: { path: '/usr/bin/python3', apt: 'python3' },
  influxd: { path: '/usr/bin/influxd', apt: 'influxdb' },
} as const;

export type ToolName = keyof typeof TOOLS;

export function requireTool(name: ToolName): string {
  const { path, apt } = TOOLS[name];
  return requireExecutable(path, name, apt);
}

export function requireExecutable(path: string, name: string, apt: string): string {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(`${path} is missing: this test runs the real ${name}. Install it with  bash .ci/monitoring-tools.sh  (Debian package ${apt}).`);
  }
  return path;
}
