import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBalancerProcess } from './balancer-process.js';
import { startTestBackend } from './test-backend.js';
import { servedBy, startTestBalancer } from './test-balancer.js';

const dir = mkdtempSync(join(tmpdir(), 'lbpoc-plugin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A plugin that always picks the last eligible server and counts its picks (a gauge);
 * `loadAware` as asked. A real module file, loaded by the real balancer.
 */
function writePlugin(file: string, name: string, loadAware = false): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    `export default {
      name: '${name}',
      loadAware: ${loadAware},
      gauges: ['picks', 'broken'],
      create() {
        let picks = 0;
        return {
          name: '${name}',
          lastUsed: '${name}',
          pick(servers) {
            const eligible = servers.filter((s) => (s.weight ?? 1) > 0);
            if (eligible.length > 0) picks++;
            return eligible[eligible.length - 1];
          },
          observe() {},
          gauges: () => ({ picks, broken: Number.NaN, undeclared: 5 }),
        };
      },
    };\n`,
  );
  return path;
}

async function metricsText(adminUrl: string): Promise<string> {
  return (await fetch(`${adminUrl}/metrics`)).text();
}

describe('algorithm plugins (ALGORITHM_MODULES) in a real balancer', () => {
  it('serves ?algo=<plugin>, counts it, lists it, exports its declared finite gauges, and can be the default', async () => {
    const backends = await Promise.all([0, 1, 2].map((i) => startTestBackend(`b${i}`)));
    const lb = await startTestBalancer(backends, { ALGORITHM_MODULES: writePlugin('last.mjs', 'last_one'), HEALTH_CHECKS: 'off' });
    const last = `127.0.0.1:${backends[2]!.port}`;

    expect(await servedBy(`${lb.url}/?algo=last_one`, 5)).toEqual(Array(5).fill(`200:${last}`));
    const response = await fetch(`${lb.url}/?algo=last_one`);
    expect(response.headers.get('x-lbpoc-algorithm')).toBe('last_one');

    const unknown = (await (await fetch(`${lb.url}/?algo=first_one`)).json()) as { allowed: string[]; message: string };
    expect(unknown.allowed.at(-1)).toBe('last_one');
    expect(unknown.message).toContain('last_one');
    const listed = (await (await fetch(`${lb.adminUrl}/backends`)).json()) as { algorithms: string[] };
    expect(listed.algorithms).toContain('last_one');

    const text = await metricsText(lb.adminUrl);
    expect(text).toContain(`lbpoc_requests_total{algorithm="last_one",backend="${last}",status_class="2xx"} 6`);
    expect(text).toMatch(/^lbpoc_algorithm_gauge\{algorithm="last_one",gauge="picks"\} 6$/m);
    // NaN is not exported, nor a name the plugin did not declare: the series stay bounded.
    expect(text).not.toContain('gauge="broken"');
    expect(text).not.toContain('gauge="undeclared"');

    await lb.close();
    const asDefault = await startTestBalancer(backends, { ALGORITHM_MODULES: join(dir, 'last.mjs'), DEFAULT_ALGORITHM: 'last_one', HEALTH_CHECKS: 'off' });
    expect(await servedBy(`${asDefault.url}/`, 3)).toEqual(Array(3).fill(`200:${last}`));
  });

  it('probes the backends for their load only while a loadAware plugin is in use', async () => {
    const backends = await Promise.all([0, 1].map((i) => startTestBackend(`b${i}`)));
    const probes = async (loadAware: boolean, file: string) => {
      const lb = await startTestBalancer(backends, {
        ALGORITHM_MODULES: writePlugin(file, loadAware ? 'reads_load' : 'ignores_load', loadAware),
        DEFAULT_ALGORITHM: loadAware ? 'reads_load' : 'ignores_load',
        LOAD_PROBE_INTERVAL_MS: '20',
        HEALTH_CHECKS: 'off',
      });
      await servedBy(`${lb.url}/`, 3);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const total = [...(await metricsText(lb.adminUrl)).matchAll(/^lbpoc_load_probes_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
      await lb.close();
      return total;
    };
    expect(await probes(false, 'ignores.mjs')).toBe(0);
    expect(await probes(true, 'reads.mjs')).toBeGreaterThan(0);
  });
});

describe('a plugin whose code fails at run time', () => {
  it('never costs a request or a worker: each failed pick is served by least connections, counted and logged (rate-limited)', { timeout: 30_000 }, async () => {
    const path = join(dir, 'faulty.mjs');
    // Passes the start-up check (its first pick is sound), then fails in every way a pick can, and observe always throws.
    writeFileSync(
      path,
      `export default {
        name: 'faulty',
        create() {
          let n = 0;
          return {
            name: 'faulty',
            lastUsed: 'faulty',
            pick(servers) {
              n++;
              if (n <= 2) return servers[0];
              if (n % 3 === 0) throw new Error('pick broke ' + n);
              if (n % 3 === 1) return { id: servers[0]?.id };
              return undefined;
            },
            observe() {
              throw new Error('observe broke');
            },
          };
        },
      };\n`,
    );
    const backends = await Promise.all([0, 1].map((i) => startTestBackend(`b${i}`)));
    const lb = await startBalancerProcess({
      BACKEND_SERVERS: backends.map((b) => `127.0.0.1:${b.port}`).join(','),
      ALGORITHM_MODULES: path,
      WORKERS: '2',
      HEALTH_CHECKS: 'off',
    });
    const statuses = [];
    for (let i = 0; i < 30; i++) statuses.push((await fetch(`${lb.url}/?algo=faulty`)).status);
    expect(statuses).toEqual(Array(30).fill(200));
    expect(backends.reduce((sum, b) => sum + b.hits, 0)).toBe(30);

    const text = await metricsText(lb.adminUrl);
    expect(text).toMatch(/^lbpoc_worker_restarts_total 0$/m);
    const count = (fault: string) =>
      Number(new RegExp(`^lbpoc_algorithm_faults_total\\{algorithm="faulty",fault="${fault}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    for (const fault of ['pick_threw', 'foreign_pick', 'no_pick']) expect(count(fault), fault).toBeGreaterThan(0);
    // Each worker counts its own instance's faults; together: every request but the first two picks of each.
    expect(count('pick_threw') + count('foreign_pick') + count('no_pick')).toBeGreaterThanOrEqual(26);
    expect(count('observe_threw')).toBeGreaterThanOrEqual(30);
    // At most one line per kind per worker within 10 s, with the error's message, never a stack to the client.
    const logged = lb
      .output()
      .split('\n')
      .filter((line) => line.includes('algorithm plugin fault'));
    expect(logged.filter((line) => line.includes('"fault":"pick_threw"')).length).toBeLessThanOrEqual(2);
    expect(logged.some((line) => line.includes('pick broke'))).toBe(true);
    expect(logged.length).toBeLessThanOrEqual(8);
  });
});
