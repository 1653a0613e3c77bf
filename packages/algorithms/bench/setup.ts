import { ALGORITHM_NAMES, type AlgorithmName, createAlgorithm, createRandom } from '@lbpoc/algorithms';

export const SIZES = [3, 100, 1000] as const;

interface BenchServer {
  readonly id: string;
  readonly weight: number;
  inFlight: number;
}

/** Servers with varied weights and in-flight counts, so no algorithm gets a trivial case. */
export function benchServers(count: number): BenchServer[] {
  const random = createRandom(count);
  return Array.from({ length: count }, (_, i) => ({
    id: `10.0.${i >> 8}.${i & 255}:5000`,
    weight: 1 + (i % 3),
    inFlight: Math.floor(random() * 8),
  }));
}

export const CLIENT_KEYS = Array.from({ length: 1024 }, (_, i) => `192.168.${i >> 8}.${i & 255}`);

/**
 * Picks per benchmark iteration: timing each pick alone would measure the timer (~50 ns),
 * not the pick, so each timed iteration makes a batch of picks.
 */
export const PICKS_PER_BATCH = 1000;

/** A pick loop for one algorithm over `count` servers; the closure allocates nothing per call. */
export function pickLoop(name: AlgorithmName, count: number): { pickBatch: () => void } {
  const servers = benchServers(count);
  let tick = 0;
  const algorithm = createAlgorithm(name, { seed: 3, now: () => tick });
  for (const server of servers) algorithm.observe(server.id, 1 + (server.inFlight % 5));
  let k = 0;
  return {
    pickBatch: () => {
      for (let i = 0; i < PICKS_PER_BATCH; i++) {
        tick++;
        if (algorithm.pick(servers, CLIENT_KEYS[k++ & 1023]) === undefined) throw new Error(`${name} picked nothing`);
      }
    },
  };
}

export { ALGORITHM_NAMES };
