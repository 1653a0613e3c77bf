import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { algorithmComparisonDashboard } from './algorithm-comparison.js';
import { containerPerformanceDashboard } from './container-performance.js';
import { loadTestingDashboard } from './load-testing.js';
import { systemHealthDashboard } from './system-health.js';

export { INFLUXDB, PROMETHEUS } from './datasources.js';
export { type PanelQuery, panelQueries, type TemplateVariable, templateVariables } from './queries.js';

/** The seed's four dashboards, by the file name each is committed under in json/. */
export const DASHBOARDS: Readonly<Record<string, () => dashboard.DashboardBuilder>> = {
  'load-testing': loadTestingDashboard,
  'container-performance': containerPerformanceDashboard,
  'system-health': systemHealthDashboard,
  'algorithm-comparison': algorithmComparisonDashboard,
};

/**
 * The JSON text Grafana loads for one dashboard: stable key order, 2-space indent, newline.
 * Panels are numbered 1, 2, ... in layout order: the SDK leaves ids unset, and Grafana links
 * (`viewPanel=`) and provisioning updates rely on ids that stay put between generations.
 */
export function dashboardJson(name: string): string {
  const build = DASHBOARDS[name];
  if (!build) throw new Error(`unknown dashboard ${JSON.stringify(name)}; known: ${Object.keys(DASHBOARDS).join(', ')}`);
  const model = build().build();
  let id = 0;
  for (const panel of model.panels ?? []) panel.id = ++id;
  return `${JSON.stringify(model, null, 2)}\n`;
}
