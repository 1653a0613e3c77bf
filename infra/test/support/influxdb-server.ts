import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../test-support/free-port.js';
import { Child, waitUntil } from './child.js';
import { requireTool } from './tools.js';

/** Debian's InfluxDB 1.x (influxd) on 127.0.0.1 with its data in a temporary folder. */
export interface InfluxServer {
  url: string;
  child: Child;
  /** InfluxQL against `database`; throws on a query error. */
  query(database: string, q: string): Promise<InfluxSeries[]>;
  stop(): Promise<void>;
}

export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

export async function startInfluxDb(): Promise<InfluxServer> {
  const binary = requireTool('influxd');
  const dir = mkdtempSync(join(tmpdir(), 'lbpoc-influxdb-'));
  const port = await freePort();
  const rpcPort = await freePort();
  // Every listener on 127.0.0.1 and free ports: the packaged defaults (8086, 8088) may be
  // taken, and nothing here may listen beyond this machine.
  const config = `
reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"
[meta]
  dir = "${dir}/meta"
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:${port}"
  log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
[subscriber]
  enabled = false
`;
  writeFileSync(join(dir, 'influxdb.conf'), config);
  const url = `http://127.0.0.1:${port}`;
  const child = new Child('influxd', binary, ['run', '-config', join(dir, 'influxdb.conf')]);
  try {
    await waitUntil(async () => (await fetch(`${url}/ping`)).status === 204, 'InfluxDB /ping', 30_000, child);
  } catch (error) {
    await child.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    child,
    async query(database, q) {
      const response = await fetch(`${url}/query?${new URLSearchParams({ db: database, q, epoch: 'ms' })}`);
      const body = (await response.json()) as { error?: string; results?: { error?: string; series?: InfluxSeries[] }[] };
      const error = body.error ?? body.results?.find((r) => r.error)?.error;
      if (!response.ok || error) throw new Error(`InfluxDB rejected ${q}: ${error ?? response.status}`);
      return body.results!.flatMap((r) => r.series ?? []);
    },
    async stop() {
      await child.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
