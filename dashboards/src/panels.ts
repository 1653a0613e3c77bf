import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

/**
 * The few panel shapes the four dashboards use, so each dashboard file reads as a list of
 * questions (title, unit, queries) rather than styling.
 */
type Query = cog.Builder<cog.Dataquery>;

export interface PanelOptions {
  description?: string;
  width?: number;
  height?: number;
  stacked?: boolean;
  min?: number;
  max?: number;
}

export function timeSeries(title: string, unit: string, queries: Query[], options: PanelOptions = {}): timeseries.PanelBuilder {
  const panel = new timeseries.PanelBuilder()
    .title(title)
    .unit(unit)
    .targets(queries)
    .span(options.width ?? 12)
    .height(options.height ?? 8)
    .lineWidth(1)
    .fillOpacity(options.stacked ? 40 : 10)
    .legend(
      new common.VizLegendOptionsBuilder()
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Bottom)
        .showLegend(true)
        .calcs(['mean', 'max', 'lastNotNull']),
    )
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending));
  if (options.description) panel.description(options.description);
  if (options.stacked) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (options.min !== undefined) panel.min(options.min);
  if (options.max !== undefined) panel.max(options.max);
  return panel;
}

export function statPanel(title: string, unit: string, queries: Query[], options: PanelOptions = {}): stat.PanelBuilder {
  const panel = new stat.PanelBuilder()
    .title(title)
    .unit(unit)
    .targets(queries)
    .span(options.width ?? 6)
    .height(options.height ?? 4)
    .graphMode(common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.Value)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']));
  if (options.description) panel.description(options.description);
  if (options.min !== undefined) panel.min(options.min);
  if (options.max !== undefined) panel.max(options.max);
  return panel;
}

export function tablePanel(title: string, unit: string, queries: Query[], options: PanelOptions = {}): table.PanelBuilder {
  const panel = new table.PanelBuilder()
    .title(title)
    .unit(unit)
    .targets(queries)
    .span(options.width ?? 12)
    .height(options.height ?? 8)
    // Instant vectors arrive as one frame per series; merge them into rows.
    .withTransformation({ id: 'merge', options: {} });
  if (options.description) panel.description(options.description);
  return panel;
}

/** Latency buckets over time (Prometheus `format: heatmap` of a `_bucket` rate). */
export function heatmapPanel(title: string, unit: string, queries: Query[], options: PanelOptions = {}): heatmap.PanelBuilder {
  const panel = new heatmap.PanelBuilder()
    .title(title)
    .targets(queries)
    .span(options.width ?? 12)
    .height(options.height ?? 8)
    // The buckets are already counted by Prometheus; Grafana must not re-bucket them.
    .calculate(false)
    .yAxis(new heatmap.YAxisConfigBuilder().unit(unit))
    .color(
      new heatmap.HeatmapColorOptionsBuilder()
        .mode(heatmap.HeatmapColorMode.Scheme)
        .scheme('Oranges')
        .scale(heatmap.HeatmapColorScale.Exponential)
        .exponent(0.5)
        .steps(64),
    )
    .showLegend();
  if (options.description) panel.description(options.description);
  return panel;
}
