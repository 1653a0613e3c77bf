import { afterAll, test } from 'vitest';
import { countCollections } from './allocations.js';
import { type PickRate, writeBenchmarksMarkdown } from './report.js';
import { ALGORITHM_NAMES, PICKS_PER_BATCH, pickLoop, SIZES } from './setup.js';

const rates: PickRate[] = [];

for (const count of SIZES) {
  test(`picks per second, ${count} servers`, async ({ bench }) => {
    for (const name of ALGORITHM_NAMES) {
      const { pickBatch } = pickLoop(name, count);
      const result = await bench(`${name} x${count}`, pickBatch).run({ time: 600, warmupTime: 150 });
      const allocation = await countCollections(pickBatch, 200, PICKS_PER_BATCH);
      rates.push({
        algorithm: name,
        servers: count,
        picksPerSecond: result.throughput.mean * PICKS_PER_BATCH,
        allocation,
      });
    }
  });
}

afterAll(() => writeBenchmarksMarkdown(rates));
