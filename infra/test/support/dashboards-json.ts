import { readdirSync, readFileSync } from 'node:fs';
import { type PanelQuery, panelQueries, type TemplateVariable, templateVariables } from '@lbpoc/dashboards';
import { REPO } from './local-stack.js';

/** The committed dashboards/json/*.json: exactly what Grafana's provisioning loads. */
export const DASHBOARDS_JSON_DIR = `${REPO}dashboards/json/`;

export function committedDashboards(): { file: string; json: unknown }[] {
  return readdirSync(DASHBOARDS_JSON_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, json: JSON.parse(readFileSync(DASHBOARDS_JSON_DIR + file, 'utf8')) }));
}

export function allPanelQueries(): PanelQuery[] {
  return committedDashboards().flatMap(({ json }) => panelQueries(json));
}

export function allTemplateVariables(): TemplateVariable[] {
  return committedDashboards().flatMap(({ json }) => templateVariables(json));
}
