import uPlot from 'uplot';
import * as format from './format.js';

/** Seconds a chart shows. */
export const CHART_SECONDS = 300;
const HEIGHT = 200;
/** Tableau 10: distinct, readable on light and dark backgrounds. */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/**
 * Why uPlot: made for exactly this (time series streaming in, drawn on a canvas), fast
 * with many points and lines, about 50 KB minified (22 KB gzipped), no dependencies, MIT,
 * maintained. Chart.js would be several times the size and slower to redraw every second;
 * ECharts an order of magnitude larger.
 *
 * One live line chart (uPlot, on a canvas): a time axis of the last five minutes and one
 * line per key (a backend, an algorithm), each key keeping its colour for as long as it
 * stays. Points come one a second; the plot is redrawn in place, and rebuilt only when
 * the set of lines changes. Nothing is drawn while the tab is hidden.
 */
export class LiveChart {
  private plot: uPlot | undefined;
  private shownKeys: string[] = [];
  private readonly times: number[] = [];
  private readonly series = new Map<string, (number | null)[]>();
  private readonly colours = new Map<string, string>();
  private nextColour = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly unit: (value: number) => string,
  ) {
    new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: HEIGHT })).observe(container);
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) this.render();
    });
  }

  /** Replaces everything with `history` (times in Unix ms). */
  load(times: readonly number[], lines: readonly { readonly key: string; readonly values: readonly (number | null)[] }[]): void {
    this.times.length = 0;
    this.times.push(...times.map((t) => t / 1000));
    this.series.clear();
    for (const line of lines) this.series.set(line.key, [...line.values]);
    this.trim();
    this.render();
  }

  /** Adds the point at `t` (Unix ms); keys not given end, new keys start with a gap before. */
  push(t: number, points: ReadonlyMap<string, number | null>): void {
    const at = t / 1000;
    if (this.times.length > 0 && at <= this.times.at(-1)!) return;
    this.times.push(at);
    for (const key of [...this.series.keys()]) if (!points.has(key)) this.series.delete(key);
    for (const [key, value] of points) {
      let values = this.series.get(key);
      if (values === undefined) this.series.set(key, (values = new Array<number | null>(this.times.length - 1).fill(null)));
      values.push(value);
    }
    this.trim();
    this.render();
  }

  private trim(): void {
    const last = this.times.at(-1);
    if (last === undefined) return;
    let drop = 0;
    while (drop < this.times.length && this.times[drop]! < last - CHART_SECONDS) drop++;
    if (drop === 0) return;
    this.times.splice(0, drop);
    for (const values of this.series.values()) values.splice(0, drop);
  }

  private colour(key: string): string {
    let colour = this.colours.get(key);
    if (colour === undefined) this.colours.set(key, (colour = PALETTE[this.nextColour++ % PALETTE.length]!));
    return colour;
  }

  private width(): number {
    return Math.max(240, this.container.clientWidth);
  }

  private render(): void {
    if (document.hidden) return;
    const keys = [...this.series.keys()];
    const data: uPlot.AlignedData = [this.times, ...keys.map((key) => this.series.get(key)!)];
    if (this.plot !== undefined && keys.length === this.shownKeys.length && keys.every((key, i) => key === this.shownKeys[i])) {
      this.plot.setData(data);
      return;
    }
    this.plot?.destroy();
    this.shownKeys = keys;
    const muted = cssVar('--muted', '#5d6875');
    const grid = cssVar('--grid', '#e6e9ee');
    const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    this.plot = new uPlot(
      {
        width: this.width(),
        height: HEIGHT,
        series: [
          {},
          ...keys.map((key) => ({
            label: key,
            stroke: this.colour(key),
            width: 1.5,
            points: { show: false },
            value: (_: uPlot, value: number | null) => (value === null ? '—' : this.unit(value)),
          })),
        ],
        scales: {
          x: { time: true },
          y: { range: (_: uPlot, _min: number | null, max: number | null): uPlot.Range.MinMax => [0, max !== null && max > 0 ? max * 1.1 : 1] },
        },
        axes: [axis, { ...axis, size: 64, values: (_: uPlot, splits: number[]) => splits.map((value) => this.unit(value)) }],
        legend: { live: true },
        cursor: { drag: { x: false, y: false } },
      },
      data,
      this.container,
    );
  }
}

export const units = {
  rate: (value: number) => format.rate(value),
  ms: (value: number) => format.ms(value),
};
