import type { AdaptiveView, LatencySignal, LoadSignal, StatusSnapshot } from '../status-types.js';
import type { AdminActions } from './admin-actions.js';
import { byId, el, setText } from './dom.js';
import * as format from './format.js';

const RULES: Record<AdaptiveView['rule'], string> = {
  reports: 'enough backends report their load (fresh reports)',
  latency_spread: 'the slowest backend answers much slower than the fastest',
  high_load: 'the busiest backend is at or over the high-load threshold',
  imbalance: 'the gap between busiest and least busy is at or over the imbalance threshold',
  unequal_weights: 'load is even and the weights differ',
  equal_weights: 'load is even and the weights are equal',
  no_backend: 'no eligible backend',
};

function latency(value: LatencySignal | null): string {
  if (value === null) return '—';
  return `${value.id}: ${format.ms(value.latency_ms)} (${value.samples} samples)`;
}

function signal(value: LoadSignal | null): string {
  if (value === null) return '—';
  return `${value.id}: ${value.in_flight} in flight / weight ${format.weight(value.weight)} = ${format.load(value.load)}`;
}

/** The algorithms table, the default-algorithm control and adaptive's decision, live. */
export class AlgorithmsPanel {
  private readonly body: HTMLTableSectionElement;
  private readonly select: HTMLSelectElement;
  private readonly adaptive: HTMLDListElement;
  private readonly rows = new Map<string, HTMLTableCellElement[]>();
  private shownDefault: string | undefined;

  constructor(actions: AdminActions) {
    this.body = byId<HTMLTableElement>('algorithms').tBodies[0]!;
    this.select = byId<HTMLSelectElement>('default-algorithm');
    this.select.classList.add('write');
    this.adaptive = byId('adaptive').querySelector('dl')!;
    byId<HTMLButtonElement>('set-default').addEventListener('click', () => void actions.setDefault(this.select.value));
  }

  update(snapshot: StatusSnapshot): void {
    for (const row of snapshot.algorithms) {
      let cells = this.rows.get(row.name);
      if (cells === undefined) {
        const tr = this.body.appendChild(el('tr'));
        tr.dataset.algorithm = row.name;
        cells = [el('td'), el('td', '', 'num'), el('td', '', 'num'), el('td', '', 'num'), el('td', '', 'num')];
        for (const cell of cells) tr.append(cell);
        this.rows.set(row.name, cells);
        this.select.append(new Option(row.name, row.name));
      }
      const [name, rps, errors, p50, p99] = cells as [
        HTMLTableCellElement,
        HTMLTableCellElement,
        HTMLTableCellElement,
        HTMLTableCellElement,
        HTMLTableCellElement,
      ];
      name.replaceChildren(el('span', row.name));
      if (row.is_default) name.append(el('span', 'default', 'badge'));
      if (row.name === 'adaptive') name.append(el('span', 'its requests count under the algorithm it delegated to', 'sub'));
      setText(rps, format.rate(row.rps));
      setText(errors, format.percent(row.error_rate));
      setText(p50, format.ms(row.p50_ms));
      setText(p99, format.ms(row.p99_ms));
    }
    // Follow the balancer's default unless the operator is choosing another one.
    if (this.shownDefault !== snapshot.default_algorithm && document.activeElement !== this.select) {
      this.select.value = snapshot.default_algorithm;
      this.shownDefault = snapshot.default_algorithm;
    }
    this.showAdaptive(snapshot.adaptive);
  }

  private showAdaptive(view: AdaptiveView): void {
    const { thresholds } = view;
    const busiestOver = view.busiest !== null && view.busiest.load >= thresholds.high_load;
    const gapOver = view.gap !== null && view.gap >= thresholds.imbalance;
    const reportsOver = view.reports.eligible > 0 && view.reports.fresh >= thresholds.report_coverage * view.reports.eligible;
    const spreadOver = view.latency_spread !== null && view.latency_spread >= thresholds.latency_spread;
    const decisions = Object.entries(view.decisions_per_s)
      .filter(([, value]) => value > 0)
      .map(([choice, value]) => `${choice} ${format.rate(value)}/s`)
      .join(', ');
    const entries: [string, string, boolean?][] = [
      ['Would choose now', view.choice === null ? '— (no eligible backend)' : `${view.choice}: ${RULES[view.rule]}`],
      ['Last request went to', view.last_used],
      [
        'Fresh load reports',
        `${view.reports.fresh} of ${view.reports.eligible} (prequal at ${format.percent(thresholds.report_coverage)}, reports up to ${format.ms(thresholds.report_max_age_ms)} old)`,
        reportsOver,
      ],
      ['Slowest', `${latency(view.slowest)}`],
      ['Fastest', `${latency(view.fastest)}`],
      [
        'Latency spread',
        `${view.latency_spread === null ? '—' : `${format.load(view.latency_spread)}x`} (prequal at ${thresholds.latency_spread}x, ${thresholds.latency_min_samples} samples each)`,
        spreadOver,
      ],
      ['Busiest', `${signal(view.busiest)} (high load at ${thresholds.high_load})`, busiestOver],
      ['Least busy', signal(view.least_busy)],
      ['Gap', `${view.gap === null ? '—' : format.load(view.gap)} (imbalance at ${thresholds.imbalance})`, gapOver],
      ['Decisions, last second', decisions === '' ? 'none' : decisions],
    ];
    const items = entries.flatMap(([term, value, over]) => [el('dt', term), el('dd', value, over === true ? 'over' : undefined)]);
    const old = [...this.adaptive.children];
    if (old.length !== items.length || old.some((node, i) => node.textContent !== items[i]!.textContent || node.className !== items[i]!.className)) {
      this.adaptive.replaceChildren(...items);
    }
  }
}
