import type { BackendRow, BackendState } from '../status-types.js';
import type { AdminActions } from './admin-actions.js';
import { byId, el, setText } from './dom.js';
import * as format from './format.js';

/** Worst first, for sorting by state. */
const STATE_RANK: Record<BackendState, number> = { ejected: 0, down: 1, draining: 2, slow_start: 3, healthy: 4 };

type SortKey = 'id' | 'source' | 'state' | 'configured_weight' | 'weight' | 'in_flight' | 'rps' | 'error_rate' | 'p50_ms' | 'p99_ms' | 'check';

interface RowView {
  readonly tr: HTMLTableRowElement;
  readonly cells: Record<
    'id' | 'pool' | 'source' | 'state' | 'stateDetail' | 'configured' | 'effective' | 'inFlight' | 'rps' | 'errors' | 'p50' | 'p99' | 'check' | 'checkAge',
    HTMLElement
  >;
  readonly drain: HTMLButtonElement;
  readonly weightInput: HTMLInputElement;
  readonly setWeight: HTMLButtonElement;
  row: BackendRow;
}

function sortValue(row: BackendRow, key: SortKey): number | string {
  switch (key) {
    case 'id':
      return row.id;
    case 'source':
      return `${row.source} ${row.pool ?? ''}`;
    case 'state':
      return STATE_RANK[row.state];
    case 'check':
      return row.last_check?.age_s ?? Number.POSITIVE_INFINITY;
    case 'error_rate':
    case 'p50_ms':
    case 'p99_ms':
      return row[key] ?? -1;
    default:
      return row[key];
  }
}

/** The state cell's words: the state, then what else is true (panic use, in flight while draining). */
function describeState(row: BackendRow, now: number): { readonly label: string; readonly detail: string } {
  const also: string[] = [];
  if (row.ejected && row.failing_checks) also.push('checks failing');
  if (row.drained && row.state !== 'draining') also.push('drained');
  if (row.panic_routed) also.push('in use: panic mode');
  switch (row.state) {
    case 'ejected':
      if (row.ejected_until !== null)
        also.unshift(`until ${format.clock(row.ejected_until)} (${format.seconds(Math.max(0, (row.ejected_until - now) / 1000))})`);
      return { label: 'ejected', detail: also.join(' · ') };
    case 'down':
      return { label: 'down', detail: also.join(' · ') };
    case 'draining':
      also.unshift(row.in_flight > 0 ? `${row.in_flight} in flight finishing` : 'no requests in flight');
      return { label: 'draining', detail: also.join(' · ') };
    case 'slow_start':
      return { label: `slow start ${row.slow_start_pct ?? '?'}%`, detail: also.join(' · ') };
    default:
      return { label: 'healthy', detail: also.join(' · ') };
  }
}

/**
 * The backends table: one row per backend, kept (not rebuilt) across updates so a weight
 * being typed is not lost; sortable by any column (click a header; again to reverse).
 */
export class BackendsTable {
  private readonly body: HTMLTableSectionElement;
  private readonly empty: HTMLElement;
  private readonly rows = new Map<string, RowView>();
  private sortKey: SortKey | undefined;
  private descending = false;

  constructor(private readonly actions: AdminActions) {
    const table = byId<HTMLTableElement>('backends');
    this.body = table.tBodies[0]!;
    this.empty = byId('no-backends');
    for (const th of table.querySelectorAll<HTMLTableCellElement>('th[data-key]')) {
      th.querySelector('button')!.addEventListener('click', () => {
        const key = th.dataset.key as SortKey;
        this.descending = this.sortKey === key ? !this.descending : false;
        this.sortKey = key;
        for (const other of table.querySelectorAll('th[data-key]')) other.removeAttribute('aria-sort');
        th.setAttribute('aria-sort', this.descending ? 'descending' : 'ascending');
        this.order([...this.rows.values()].map((view) => view.row));
      });
    }
  }

  update(backends: readonly BackendRow[], now: number, writes: boolean): void {
    const present = new Set<string>();
    for (const row of backends) {
      present.add(row.id);
      let view = this.rows.get(row.id);
      if (view === undefined) {
        view = this.create(row);
        this.rows.set(row.id, view);
      }
      view.row = row;
      this.fill(view, now, writes);
    }
    for (const [id, view] of this.rows) {
      if (present.has(id)) continue;
      view.tr.remove();
      this.rows.delete(id);
    }
    this.empty.hidden = backends.length > 0;
    this.order(backends);
  }

  private order(backends: readonly BackendRow[]): void {
    const sorted = [...backends];
    const key = this.sortKey;
    if (key !== undefined) {
      const sign = this.descending ? -1 : 1;
      sorted.sort((a, b) => {
        const x = sortValue(a, key);
        const y = sortValue(b, key);
        const primary = typeof x === 'string' || typeof y === 'string' ? String(x).localeCompare(String(y)) : x - y;
        return primary !== 0 ? sign * primary : a.id.localeCompare(b.id);
      });
    }
    const wanted = sorted.map((row) => this.rows.get(row.id)!.tr);
    const current = [...this.body.rows];
    if (wanted.length === current.length && wanted.every((tr, i) => tr === current[i])) return;
    // Moving a row would take the focus from a weight being typed: wait for the next update.
    if (this.body.contains(document.activeElement) && current.length === wanted.length) return;
    for (const tr of wanted) this.body.append(tr);
  }

  private create(row: BackendRow): RowView {
    const tr = el('tr');
    tr.dataset.backend = row.id;
    // `data-col` names each cell for scripts and tests (the column order may change).
    const td = (col: string, className?: string) => {
      const cell = tr.appendChild(el('td', undefined, className));
      cell.dataset.col = col;
      return cell;
    };
    const idCell = td('id');
    const id = idCell.appendChild(el('span', row.id));
    const pool = idCell.appendChild(el('span', '', 'sub'));
    const source = td('source');
    const stateCell = td('state');
    const state = stateCell.appendChild(el('span', '', 'state'));
    const stateDetail = stateCell.appendChild(el('span', '', 'sub'));
    const configured = td('configured_weight', 'num');
    const effective = td('weight', 'num');
    const inFlight = td('in_flight', 'num');
    const rps = td('rps', 'num');
    const errors = td('error_rate', 'num');
    const p50 = td('p50_ms', 'num');
    const p99 = td('p99_ms', 'num');
    const checkCell = td('check');
    const check = checkCell.appendChild(el('span'));
    const checkAge = checkCell.appendChild(el('span', '', 'sub'));
    const actions = td('actions', 'actions');
    const drain = actions.appendChild(el('button', 'Drain', 'write'));
    drain.type = 'button';
    const weightInput = actions.appendChild(el('input', undefined, 'write'));
    weightInput.type = 'number';
    weightInput.min = '0';
    weightInput.max = '1000';
    weightInput.step = '1';
    weightInput.setAttribute('aria-label', `weight of ${row.id}`);
    const setWeight = actions.appendChild(el('button', 'Set weight', 'write'));
    setWeight.type = 'button';
    const view: RowView = {
      tr,
      cells: { id, pool, source, state, stateDetail, configured, effective, inFlight, rps, errors, p50, p99, check, checkAge },
      drain,
      weightInput,
      setWeight,
      row,
    };
    drain.addEventListener('click', () => void this.actions.drain(view.row.id, !view.row.drained));
    const submitWeight = () => {
      const value = Number(weightInput.value);
      if (weightInput.value === '' || !Number.isInteger(value) || value < 0 || value > 1000) {
        weightInput.setCustomValidity('an integer from 0 to 1000');
        weightInput.reportValidity();
        return;
      }
      weightInput.setCustomValidity('');
      void this.actions.setWeight(view.row.id, value).then(() => {
        if (document.activeElement !== weightInput) weightInput.value = '';
      });
    };
    setWeight.addEventListener('click', submitWeight);
    weightInput.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') submitWeight();
    });
    return view;
  }

  private fill(view: RowView, now: number, writes: boolean): void {
    const { row, cells } = view;
    view.tr.dataset.state = row.state;
    setText(cells.pool, row.pool === null ? '' : `pool ${row.pool}`);
    setText(cells.source, row.source);
    const state = describeState(row, now);
    cells.state.dataset.state = row.state;
    setText(cells.state, state.label);
    setText(cells.stateDetail, state.detail);
    setText(cells.configured, format.weight(row.configured_weight));
    setText(cells.effective, format.weight(row.weight));
    // This balancer's count, then what the backend itself reports (every client's requests,
    // with the report's age) and how prequal sees it (hot, cold, or its own view: fallback).
    const reported = row.load === null ? null : `reports ${row.load.in_flight ?? '?'}, ${format.seconds(row.load.age_s)} ago`;
    const prequal = row.prequal === null ? null : `prequal ${row.prequal}`;
    setText(cells.inFlight, [String(row.in_flight), reported, prequal].filter((part) => part !== null).join(' · '));
    cells.inFlight.dataset.prequal = row.prequal ?? '';
    setText(cells.rps, format.rate(row.rps));
    setText(cells.errors, format.percent(row.error_rate));
    setText(cells.p50, format.ms(row.p50_ms));
    setText(cells.p99, format.ms(row.p99_ms));
    const check = row.last_check;
    if (check === null) {
      setText(cells.check, 'checks off');
      cells.check.className = 'muted';
      setText(cells.checkAge, '');
    } else {
      setText(cells.check, check.detail ?? 'not yet');
      cells.check.className = check.passed === null ? 'muted' : check.passed ? 'check-pass' : 'check-fail';
      setText(cells.checkAge, check.age_s === null ? '' : `${format.seconds(check.age_s)} ago`);
    }
    setText(view.drain, row.drained ? 'Undrain' : 'Drain');
    view.drain.disabled = !writes;
    view.weightInput.disabled = !writes;
    view.setWeight.disabled = !writes;
    if (document.activeElement !== view.weightInput && view.weightInput.value === '') view.weightInput.placeholder = String(row.configured_weight);
  }
}
