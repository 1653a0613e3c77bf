import { PerformanceObserver } from 'node:perf_hooks';
import { setImmediate } from 'node:timers/promises';

export interface AllocationCheck {
  picks: number;
  collections: number;
  heapDeltaBytes: number;
}

/**
 * Measures heap growth (and counts garbage collections) while `batch` runs `batches`
 * times. Allocation shows as whole bytes per pick; with none, growth stays near zero.
 */
export async function countCollections(batch: () => void, batches: number, picksPerBatch: number): Promise<AllocationCheck> {
  for (let i = 0; i < 10; i++) batch(); // warm up: tables built, code optimised
  await setImmediate();
  let collections = 0;
  const observer = new PerformanceObserver((list) => (collections += list.getEntries().length));
  observer.observe({ entryTypes: ['gc'] });
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < batches; i++) batch();
  const heapDeltaBytes = process.memoryUsage().heapUsed - before;
  await setImmediate(); // let the observer deliver
  observer.disconnect();
  return { picks: batches * picksPerBatch, collections, heapDeltaBytes };
}
