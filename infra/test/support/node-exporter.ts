import { freePort } from '../../../test-support/free-port.js';
import { Child, httpOk, waitUntil } from './child.js';
import { requireTool } from './tools.js';

/** Debian's prometheus-node-exporter on 127.0.0.1 (host metrics of this very machine). */
export async function startNodeExporter(): Promise<{ address: string; child: Child }> {
  const binary = requireTool('nodeExporter');
  const port = await freePort();
  const child = new Child('node exporter', binary, [`--web.listen-address=127.0.0.1:${port}`, '--log.level=warn']);
  await waitUntil(() => httpOk(`http://127.0.0.1:${port}/metrics`), 'node exporter /metrics', 15_000, child);
  return { address: `127.0.0.1:${port}`, child };
}
