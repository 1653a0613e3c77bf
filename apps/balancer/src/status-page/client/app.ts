import type { StatusHello, StatusSnapshot } from '../status-types.js';
import { createAdminActions } from './admin-actions.js';
import { AlgorithmsPanel } from './algorithms-panel.js';
import { BackendsTable } from './backends-table.js';
import { byId, el, setText } from './dom.js';
import * as format from './format.js';
import { LiveChart, units } from './live-chart.js';

/**
 * The status page: one EventSource on /status-page/events (a `hello` with five minutes of
 * history, then a `status` event a second), rendered into the tables and charts. Writes go
 * through admin-actions.ts. If the stream is refused (too many viewers) or lost, the page
 * says so, shows the last state it can get from /status-page/snapshot, and tries again.
 */
const EVENTS = '/status-page/events';
const SNAPSHOT = '/status-page/snapshot';
/** No event for this long: the view is marked stale (events come once a second). */
const STALE_MS = 3500;

const connection = byId<HTMLSpanElement>('connection');
const summary = byId<HTMLDListElement>('summary');
const panic = byId<HTMLDivElement>('panic');

const actions = createAdminActions(() => void refresh());
const backends = new BackendsTable(actions);
const algorithms = new AlgorithmsPanel(actions);
const charts = {
  backendRps: new LiveChart(byId('chart-backend-rps'), units.rate),
  backendP99: new LiveChart(byId('chart-backend-p99'), units.ms),
  algorithmRps: new LiveChart(byId('chart-algorithm-rps'), units.rate),
};

let lastEventAt = 0;
let retryMs = 2000;

function showConnection(state: 'connecting' | 'live' | 'reconnecting' | 'stale' | 'offline' | 'full', text: string): void {
  connection.dataset.state = state;
  setText(connection, text);
}

function render(snapshot: StatusSnapshot): void {
  const healthy = snapshot.backends.filter((row) => row.healthy).length;
  const items: [string, string][] = [
    ['backends', `${healthy}/${snapshot.backends.length} healthy`],
    ['req/s', format.rate(snapshot.totals.rps)],
    ['in flight', String(snapshot.totals.in_flight)],
    ['workers', String(snapshot.workers)],
    ['default', snapshot.default_algorithm],
    ['viewers', `${snapshot.viewers.count}/${snapshot.viewers.max}`],
  ];
  summary.replaceChildren(
    ...items.map(([term, value]) => {
      const item = el('div');
      item.append(el('dt', term), el('dd', value));
      return item;
    }),
  );
  panic.hidden = !snapshot.panic;
  setText(
    panic,
    snapshot.panic
      ? `Panic mode: fewer than ${Math.round(snapshot.panic_threshold * 100)}% of the backends are healthy, so every backend is in use, healthy or not.`
      : '',
  );
  actions.setWritesEnabled(snapshot.admin_writes);
  backends.update(snapshot.backends, snapshot.t, snapshot.admin_writes);
  algorithms.update(snapshot);
}

function chartPoint(snapshot: StatusSnapshot): void {
  charts.backendRps.push(snapshot.t, new Map(snapshot.backends.map((row) => [row.id, row.rps])));
  charts.backendP99.push(snapshot.t, new Map(snapshot.backends.map((row) => [row.id, row.p99_ms])));
  charts.algorithmRps.push(snapshot.t, new Map(snapshot.algorithms.map((row) => [row.name, row.rps])));
}

function onHello(hello: StatusHello): void {
  const { history } = hello;
  charts.backendRps.load(
    history.t,
    history.backends.map((line) => ({ key: line.id, values: line.rps })),
  );
  charts.backendP99.load(
    history.t,
    history.backends.map((line) => ({ key: line.id, values: line.p99_ms })),
  );
  charts.algorithmRps.load(
    history.t,
    history.algorithms.map((line) => ({ key: line.name, values: line.rps })),
  );
  render(hello.snapshot);
}

/** After a change: the new state at once, not at the next event. */
async function refresh(): Promise<StatusSnapshot | undefined> {
  try {
    const response = await fetch(SNAPSHOT, { cache: 'no-store' });
    if (!response.ok) return undefined;
    const snapshot = (await response.json()) as StatusSnapshot;
    render(snapshot);
    return snapshot;
  } catch {
    return undefined;
  }
}

function connect(): void {
  showConnection('connecting', 'connecting…');
  const source = new EventSource(EVENTS);
  const received = () => {
    lastEventAt = Date.now();
    retryMs = 2000;
    showConnection('live', 'live');
  };
  source.addEventListener('hello', (event) => {
    received();
    onHello(JSON.parse((event as MessageEvent<string>).data) as StatusHello);
  });
  source.addEventListener('status', (event) => {
    received();
    const snapshot = JSON.parse((event as MessageEvent<string>).data) as StatusSnapshot;
    chartPoint(snapshot);
    render(snapshot);
    if (!snapshot.accepting) showConnection('offline', 'the balancer is shutting down');
  });
  source.addEventListener('error', () => {
    if (source.readyState !== EventSource.CLOSED) {
      showConnection('reconnecting', 'reconnecting…'); // the browser retries on its own
      return;
    }
    // Refused (503: too many viewers) or not a stream: find out which, show what we can, retry later.
    source.close();
    void refresh().then((snapshot) => {
      if (snapshot === undefined) showConnection('offline', `offline: retrying in ${Math.round(retryMs / 1000)} s`);
      else if (snapshot.viewers.count >= snapshot.viewers.max) {
        showConnection('full', `not live: ${snapshot.viewers.max} viewers already (the most served); retrying in ${Math.round(retryMs / 1000)} s`);
      } else showConnection('offline', `not live: retrying in ${Math.round(retryMs / 1000)} s`);
      setTimeout(connect, retryMs);
      retryMs = Math.min(30_000, retryMs * 2);
    });
  });
}

setInterval(() => {
  if (connection.dataset.state === 'live' && Date.now() - lastEventAt > STALE_MS) showConnection('stale', 'stale: no update for a few seconds');
}, 1000);

connect();
