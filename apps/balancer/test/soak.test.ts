import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SOAK = fileURLToPath(new URL('../../../scripts/soak/run.mjs', import.meta.url));
const MINUTES = Number(process.env.SOAK_TEST_MINUTES ?? 1);

/**
 * `pnpm soak` shortened for CI: the same script, processes and rules as the 30-minute run
 * (zero failed requests, a backend restart and a burst losing nothing, mean RSS of the
 * last quarter after warm-up less than 10% above the first), for one minute.
 */
describe('soak (short)', () => {
  it(
    'serves every request through a backend restart and a burst, with flat memory',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'lbpoc-soak-'));
      try {
        const json = join(dir, 'soak.json');
        const child = spawn(process.execPath, [SOAK], {
          env: { ...process.env, SOAK_MINUTES: String(MINUTES), SOAK_REPORT: 'none', SOAK_JSON: json },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (chunk) => (output += chunk));
        child.stderr.on('data', (chunk) => (output += chunk));
        const [code] = await once(child, 'exit');
        const result = JSON.parse(readFileSync(json, 'utf8')) as {
          load: { sent: number; failed: number; failures: Record<string, number>; p99: number };
          memory: { growth: number; quarters: { meanBytes: number; samples: number }[] };
          events: { restart: { exitCode: number; downMs: number }; burst: { seconds: number } };
          retries: number;
          verdict: { ok: boolean; reasons: string[] };
        };
        console.log(output.trim().split('\n').at(-1));
        expect(code, output).toBe(0);
        expect(result.verdict).toEqual({ ok: true, reasons: [] });
        expect(result.load.failures).toEqual({});
        expect(result.load.failed).toBe(0);
        // Open loop: 50/s throughout plus 150/s more during the burst, give or take a tick.
        const expected = MINUTES * 60 * 50 + result.events.burst.seconds * 150;
        expect(result.load.sent).toBeGreaterThan(expected * 0.95);
        expect(result.events.restart.exitCode).toBe(0); // the backend drained gracefully
        expect(result.memory.quarters).toHaveLength(4);
        for (const quarter of result.memory.quarters) expect(quarter.samples).toBeGreaterThanOrEqual(10);
        expect(result.memory.growth).toBeLessThan(0.1);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    MINUTES * 60_000 + 90_000,
  );
});
