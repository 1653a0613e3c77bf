import type { HealthChangeDetail } from '../src/pool/backend.js';
import { BackendPool } from '../src/pool/backend-pool.js';
import type { BackendPoolOptions } from '../src/pool/pool-options.js';
import type { BackendAddress } from '../src/shared/backend-address.js';
import { StaticSource } from '../src/sources/static/static-source.js';
import { ManualClock } from './manual-clock.js';

/** `b1:80`, `b2:80`, ...: addresses nothing connects to (the fixture turns active checks off). */
export function addresses(count: number, weight = 1): BackendAddress[] {
  return Array.from({ length: count }, (_, i) => ({ id: `b${i + 1}:80`, host: `b${i + 1}`, port: 80, weight }));
}

/**
 * A started pool on a StaticSource with a manual clock and active checks off, so time and
 * health change only when the test says so. Records every 'health' event and counts 'change'.
 */
export async function manualPool(list: BackendAddress[], options: BackendPoolOptions = {}) {
  const clock = new ManualClock();
  const source = new StaticSource(list);
  const pool = new BackendPool(source, { healthCheck: false, clock, ...options });
  const health: HealthChangeDetail[] = [];
  const counts = { change: 0 };
  pool.addEventListener('health', (event) => health.push(event.detail));
  pool.addEventListener('change', () => counts.change++);
  await pool.start();
  const byId = (id: string) =>
    pool.get(id) ??
    (() => {
      throw new Error(`no ${id}`);
    })();
  return { clock, source, pool, health, counts, byId };
}

/** Reports `count` outcomes of one kind for the backend with this id. */
export function fail(pool: BackendPool, id: string, count: number, outcome: 'connect_failure' | 'http_5xx' | 'timeout' = 'connect_failure'): void {
  const backend = pool.get(id)!;
  for (let i = 0; i < count; i++) pool.reportResult(backend, { outcome });
}

export const ids = (backends: readonly { id: string }[]) => backends.map((backend) => backend.id);
