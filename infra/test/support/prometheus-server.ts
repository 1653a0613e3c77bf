import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../test-support/free-port.js';
import { Child, httpOk, waitUntil } from './child.js';
import { requireTool } from './tools.js';

/** A real Prometheus (Debian's binary) on 127.0.0.1 with a throwaway TSDB. */
export interface PrometheusServer {
  url: string;
  child: Child;
  query(expr: string): Promise<QueryResult>;
  stop(): Promise<void>;
}

export type QueryResult = { status: 'success'; resultType: string; result: unknown[] } | { status: 'error'; errorType: string; error: string };

export async function startPrometheus(configYaml: string): Promise<PrometheusServer> {
  const binary = requireTool('prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'lbpoc-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, configYaml);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = new Child('prometheus', binary, [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ]);
  try {
    await waitUntil(() => httpOk(`${url}/-/ready`), 'Prometheus /-/ready', 30_000, child);
  } catch (error) {
    await child.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    child,
    async query(expr) {
      const response = await fetch(`${url}/api/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: expr }),
      });
      const body = (await response.json()) as { status: string; data?: { resultType: string; result: unknown }; errorType?: string; error?: string };
      if (body.status !== 'success') return { status: 'error', errorType: body.errorType ?? String(response.status), error: body.error ?? '' };
      const result = body.data!.result;
      // A scalar or string comes back as [time, value]: one value, so "data".
      return {
        status: 'success',
        resultType: body.data!.resultType,
        result: body.data!.resultType === 'scalar' || body.data!.resultType === 'string' ? [result] : (result as unknown[]),
      };
    },
    async stop() {
      await child.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
