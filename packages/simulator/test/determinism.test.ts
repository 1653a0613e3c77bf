import { describe, expect, it } from 'vitest';
import { runCli } from '../src/run-cli.js';
import { runScenario } from '../src/run-scenario.js';
import { createScenario } from '../src/scenarios.js';

async function cliOutput(argv: string[]): Promise<string> {
  let stdout = '';
  const code = await runCli(argv, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => true } });
  expect(code).toBe(0);
  return stdout;
}

describe('determinism', () => {
  it('the same seed renders byte-identical CLI tables for every scenario', { timeout: 60_000 }, async () => {
    const first = await cliOutput(['--seed', '42', '--requests', '20000']);
    const second = await cliOutput(['--seed', '42', '--requests', '20000']);
    expect(second).toBe(first);
    expect(first).toContain('== bursty');
    expect(first).toContain('jsq_oracle (reference)');
  });

  it('a different seed gives different numbers', () => {
    const results = (seed: number) => JSON.stringify(runScenario(createScenario('homogeneous', { requests: 5_000 }), { seed }).results);
    expect(results(1)).toBe(results(1));
    expect(results(2)).not.toBe(results(1));
  });
});
