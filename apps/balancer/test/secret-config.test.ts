import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`pnpm --filter @lbpoc/balancer build\` first (turbo's test task does)`);
});

/** Runs the built balancer with `env` until it exits (a bad configuration exits at once). */
async function startupError(env: Record<string, string>): Promise<{ code: number; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const [code] = (await once(child, 'exit')) as [number];
  clearTimeout(timer);
  return { code, stderr, stdout };
}

describe('a refused ADMIN_TOKEN at start', () => {
  // Each is what a real token with a slip looks like: the wrong secret pasted, a space, a truncation.
  for (const [token, flaw] of [
    ['Zq9-real-looking token-0123456789abcdef', 'character 17 is a space'],
    ['Zq9-cut-short', 'this one has 13 characters'],
    ['Zq9\u00e9-0123456789abcdef-0123456789', 'character 4 is a non-ASCII character'],
  ] as const) {
    it(`stops the process naming ADMIN_TOKEN and what is wrong (${flaw}), never printing the token`, async () => {
      const { code, stderr, stdout } = await startupError({ BACKEND_SERVERS: '127.0.0.1:5001', ADMIN_TOKEN: token, PORT: 'x' });
      expect(code).toBe(2);
      expect(stderr).toContain('ADMIN_TOKEN=(secret, not shown) is not valid: 16 to 1024 printable ASCII characters');
      expect(stderr).toContain(flaw);
      expect(stderr).toContain('PORT="x" is not valid'); // other variables are still quoted
      for (const output of [stderr, stdout]) {
        expect(output).not.toContain('Zq9');
        expect(output).not.toContain(token.slice(-10));
      }
    });
  }
});
