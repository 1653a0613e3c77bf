/**
 * The built balancer (dist/main.js, dockerode bundled in) with DISCOVERY=docker against
 * the real engine (.ci/docker.sh starts one): containers started here with labels show up
 * in the admin API's /backends and leave it when stopped; a badly labelled one is logged.
 * Only 127.0.0.1 is spoken to (the admin port); the containers get no traffic.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './test-balancer.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const IMAGE = 'lbpoc/node:24-local';
const run = `${process.pid}-${Date.now().toString(36)}`;
const pool = `lbpoc-test-${run}`;
const docker = async (...args: string[]) => (await promisify(execFile)('docker', args, { encoding: 'utf8' })).stdout.trim();
let child: ChildProcess | undefined;

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`pnpm --filter @lbpoc/balancer build\` first (turbo's test task does)`);
  try {
    await docker('image', 'inspect', IMAGE);
  } catch (error) {
    throw new Error(
      `This test needs a real Docker engine with the image ${IMAGE}: run \`bash .ci/docker.sh\` first (${(error as Error).message.split('\n')[0]})`,
    );
  }
  await docker('network', 'create', '--label', `lbpoc.test=${run}`, pool);
}, 30_000);

afterAll(async () => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  const ids = (await docker('ps', '-aq', '--filter', `label=lbpoc.test=${run}`).catch(() => '')).split('\n').filter(Boolean);
  if (ids.length > 0) await docker('rm', '-f', ...ids).catch(() => undefined);
  await docker('network', 'rm', pool).catch(() => undefined);
}, 30_000);

async function startContainer(name: string, labels: Record<string, string>): Promise<string> {
  const flags = Object.entries({ ...labels, 'lbpoc.test': run }).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
  const script = "require('http').createServer((q, s) => s.end('ok')).listen(8080)";
  await docker('run', '-d', '--name', `${pool}-${name}`, '--network', pool, ...flags, IMAGE, 'node', '-e', script);
  return docker('inspect', '-f', `{{(index .NetworkSettings.Networks "${pool}").IPAddress}}`, `${pool}-${name}`);
}

describe('the balancer with DISCOVERY=docker', () => {
  it('serves the labelled containers of its pool, follows them, and logs a skipped one', async () => {
    const ip = await startContainer('web-1', { 'lbpoc.enable': 'true', 'lbpoc.pool': pool, 'lbpoc.port': '8080', 'lbpoc.weight': '3' });
    await startContainer('bad', { 'lbpoc.enable': 'true', 'lbpoc.pool': pool, 'lbpoc.port': 'http' });
    child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH,
        DISCOVERY: 'docker',
        DOCKER_POOL: pool,
        HOST: '127.0.0.1',
        METRICS_HOST: '127.0.0.1',
        PORT: '0',
        METRICS_PORT: '0',
        HEALTH_CHECKS: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    await waitFor(() => stdout.includes('balancer listening'), 15_000, 'the balancer to listen');
    const lines = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((line) => line.msg === 'docker discovery connected')).toMatchObject({ docker: 'unix:///var/run/docker.sock', mode: 'containers' });
    expect(lines.find((line) => line.label === 'lbpoc.port')).toMatchObject({ level: 40, container: `${pool}-bad`, value: 'http' });
    const listening = lines.find((line) => line.msg === 'balancer listening')!;
    expect(listening).toMatchObject({ discovery: 'docker', backends: [`${ip}:8080`] });

    const backends = async () => {
      const response = await fetch(`http://127.0.0.1:${listening.metrics_port as number}/backends`);
      return ((await response.json()) as { backends: { id: string; pool: string; weight: number }[] }).backends;
    };
    expect(await backends()).toEqual([expect.objectContaining({ id: `${ip}:8080`, pool, weight: 3 })]);

    const ip2 = await startContainer('web-2', { 'lbpoc.enable': 'true', 'lbpoc.pool': pool, 'lbpoc.port': '8080' });
    await waitFor(async () => (await backends()).some((backend) => backend.id === `${ip2}:8080`), 10_000, 'the second container in /backends');
    await docker('stop', '-t', '1', `${pool}-web-1`);
    await waitFor(async () => (await backends()).every((backend) => backend.id !== `${ip}:8080`), 10_000, 'the stopped container to leave /backends');

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  }, 60_000);

  it('exits 1 naming the socket when the engine cannot be reached', async () => {
    const failing = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH,
        DISCOVERY: 'docker',
        DOCKER_HOST: 'unix:///tmp/lbpoc-no-such.sock',
        HOST: '127.0.0.1',
        METRICS_HOST: '127.0.0.1',
        PORT: '0',
        METRICS_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    failing.stdout!.on('data', (chunk) => (stdout += chunk));
    const [code] = await once(failing, 'exit');
    expect(code).toBe(1);
    expect(stdout).toContain('Docker engine at unix:///tmp/lbpoc-no-such.sock: no socket there (ENOENT)');
  }, 20_000);
});
