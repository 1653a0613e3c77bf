import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Child } from './child.js';
import { REPO } from './local-stack.js';
import { requireTool } from './tools.js';

/** Debian's Locust, headless, running one scenario of infra/locust/locustfile.py. */
export const LOCUST_DIR = `${REPO}infra/locust/`;

export interface Stage {
  seconds: number;
  rps: number;
  algorithm: string | null;
}

export type CsvRow = Record<string, string>;

export interface LocustRun {
  code: number | null;
  log: string;
  plan: Stage[];
  /** <prefix>_stats.csv: one row per request name, then "Aggregated". */
  stats: CsvRow[];
  /** <prefix>_stats_history.csv: one row a second. */
  history: CsvRow[];
}

/** The plan the locustfile will run, from the same Python module (scenarios.py). */
export function scenarioPlan(scenario: string, timeScale: number, algorithms = ''): Stage[] {
  const python = requireTool('python');
  return JSON.parse(execFileSync(python, [`${LOCUST_DIR}scenarios.py`, scenario, String(timeScale), algorithms], { encoding: 'utf8' })) as Stage[];
}

export function expectedRequests(stages: readonly Stage[]): number {
  return stages.reduce((sum, stage) => sum + stage.seconds * stage.rps, 0);
}

function readCsv(path: string): CsvRow[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [columns[i]!, value])));
}

export async function runLocust(options: { scenario: string; timeScale: number; host: string; env?: Record<string, string> }): Promise<LocustRun> {
  const locust = requireTool('locust');
  const plan = scenarioPlan(options.scenario, options.timeScale, options.env?.ALGORITHMS ?? '');
  const seconds = plan.reduce((sum, stage) => sum + stage.seconds, 0);
  const dir = mkdtempSync(join(tmpdir(), 'lbpoc-locust-'));
  const prefix = join(dir, options.scenario);
  const child = new Child(
    `locust ${options.scenario}`,
    locust,
    ['-f', `${LOCUST_DIR}locustfile.py`, '--headless', '--host', options.host, '--csv', prefix, '--loglevel', 'WARNING', '--only-summary'],
    { env: { SCENARIO: options.scenario, TIME_SCALE: String(options.timeScale), ...options.env }, cwd: dir },
  );
  // Bounded: the shape ends the run; if it did not, Locust is killed a minute later.
  const code = await child.wait((seconds + 60) * 1000);
  try {
    return { code, log: child.log, plan, stats: readCsv(`${prefix}_stats.csv`), history: readCsv(`${prefix}_stats_history.csv`) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
