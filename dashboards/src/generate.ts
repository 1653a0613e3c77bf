/**
 * `pnpm --filter @lbpoc/dashboards generate`: writes json/<name>.json for every dashboard.
 * The JSON is committed (Grafana's provisioning reads it); test/generated.test.ts fails
 * when it and the TypeScript source disagree.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DASHBOARDS, dashboardJson } from './index.js';

const out = fileURLToPath(new URL('../json/', import.meta.url));
mkdirSync(out, { recursive: true });
for (const name of Object.keys(DASHBOARDS)) {
  writeFileSync(`${out}${name}.json`, dashboardJson(name));
  process.stdout.write(`wrote dashboards/json/${name}.json\n`);
}
