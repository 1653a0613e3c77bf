/**
 * Every query in a dashboard's JSON, as Grafana would send it to a data source (before
 * template substitution). The infra tests feed these to a real Prometheus and InfluxDB.
 */
export interface PanelQuery {
  dashboard: string;
  panel: string;
  refId: string;
  datasource: 'prometheus' | 'influxdb';
  /** PromQL for Prometheus, InfluxQL for InfluxDB. */
  query: string;
  instant: boolean;
}

export interface TemplateVariable {
  dashboard: string;
  name: string;
  /** As Grafana's Prometheus variable editor stores it, e.g. `label_values(metric, label)`. */
  query: string;
}

interface JsonTarget {
  refId?: string;
  datasource?: { type?: string };
  expr?: string;
  query?: string;
  instant?: boolean;
}

interface JsonPanel {
  title?: string;
  type?: string;
  targets?: JsonTarget[];
  panels?: JsonPanel[];
}

interface JsonDashboard {
  title: string;
  panels?: JsonPanel[];
  templating?: { list?: { name: string; type: string; query?: string | { query?: string } }[] };
}

export function panelQueries(json: unknown): PanelQuery[] {
  const dash = json as JsonDashboard;
  const result: PanelQuery[] = [];
  const visit = (panels: JsonPanel[] = []) => {
    for (const panel of panels) {
      visit(panel.panels); // collapsed rows carry their panels inside
      for (const target of panel.targets ?? []) {
        const type = target.datasource?.type;
        const query = type === 'prometheus' ? target.expr : target.query;
        if ((type !== 'prometheus' && type !== 'influxdb') || query === undefined) {
          throw new Error(`${dash.title} / ${panel.title}: a target with data source ${type} and no query`);
        }
        result.push({
          dashboard: dash.title,
          panel: panel.title ?? '(untitled)',
          refId: target.refId ?? '',
          datasource: type,
          query,
          instant: target.instant === true,
        });
      }
    }
  };
  visit(dash.panels);
  return result;
}

export function templateVariables(json: unknown): TemplateVariable[] {
  const dash = json as JsonDashboard;
  return (dash.templating?.list ?? [])
    .filter((variable) => variable.type === 'query')
    .map((variable) => ({
      dashboard: dash.title,
      name: variable.name,
      query: typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? ''),
    }));
}
