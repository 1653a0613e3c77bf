import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS, dashboardJson } from '../src/index.js';

const JSON_DIR = fileURLToPath(new URL('../json/', import.meta.url));

/** The committed JSON is what Grafana loads; the TypeScript is what people edit. */
describe('committed dashboards/json', () => {
  it.each(Object.keys(DASHBOARDS))('json/%s.json is exactly what the source generates', (name) => {
    const committed = readFileSync(`${JSON_DIR}${name}.json`, 'utf8');
    expect(committed, `json/${name}.json is stale: run  pnpm --filter @lbpoc/dashboards generate  and commit the result`).toBe(dashboardJson(name));
  });

  it('holds no JSON file that no source generates', () => {
    const files = readdirSync(JSON_DIR).filter((file) => file.endsWith('.json'));
    expect(files.sort()).toEqual(
      Object.keys(DASHBOARDS)
        .map((name) => `${name}.json`)
        .sort(),
    );
  });

  it('rejects an unknown dashboard name', () => {
    expect(() => dashboardJson('nope')).toThrow(/unknown dashboard "nope"; known: load-testing/);
  });
});
