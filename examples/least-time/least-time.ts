import type { AlgorithmOptions, AlgorithmPlugin, PluginAlgorithm, Server } from '@lbpoc/algorithms';

/*
 * least_time, as nginx Plus calls it: send each request to the server with the lowest
 * expected time, its recent latency times the requests it already has, per unit of
 * weight. An lbpoc algorithm plugin: the balancer loads it with
 * ALGORITHM_MODULES=./least-time.ts and serves it as ?algo=least_time. It imports only
 * types, so the file runs as it is in Node 24 (which strips types) with no install.
 */

/** How fast the latency average follows new samples: about the last 2 s weigh most. */
const DECAY_MS = 2_000;
/** Even the newest sample moves the average this much (many samples can share a millisecond). */
const MIN_ALPHA = 0.1;
/**
 * A server not heard from for a while is given another chance: its estimate halves every
 * ~7 s without a sample. Without this, a server that was slow once is never tried again.
 */
const FORGET_MS = 10_000;

export default {
  name: 'least_time',
  description: 'lowest recent latency x (in flight + 1) / weight, over every server (nginx Plus least_time)',
  gauges: ['tracked_servers', 'fastest_ms', 'slowest_ms'],
  create: (options) => createLeastTime(options),
} satisfies AlgorithmPlugin;

interface Latency {
  /** Decayed average, in ms. */
  value: number;
  /** When the last sample came, in `now()`'s ms. */
  at: number;
}

function createLeastTime(options: AlgorithmOptions): PluginAlgorithm {
  const now = options.now ?? (() => performance.now());
  const latencies = new Map<string, Latency>();
  let start = 0; // ties rotate: equal servers (all unmeasured at first) take turns

  /** The latency to expect now: the average, forgotten with time. Unmeasured: 0, so each server is tried. */
  const expected = (id: string, at: number): number => {
    const seen = latencies.get(id);
    return seen === undefined ? 0 : seen.value * Math.exp(-(at - seen.at) / FORGET_MS);
  };

  return {
    name: 'least_time',
    lastUsed: 'least_time',

    pick<S extends Server>(servers: readonly S[]): S | undefined {
      const at = now();
      const count = servers.length;
      let best: S | undefined;
      let bestScore = Number.POSITIVE_INFINITY;
      for (let i = 0; i < count; i++) {
        const server = servers[(start + i) % count]!;
        const weight = server.weight ?? 1;
        if (!(weight > 0)) continue; // 0, negative or NaN: drained
        const score = (expected(server.id, at) * ((server.inFlight ?? 0) + 1)) / weight;
        if (score < bestScore) {
          best = server;
          bestScore = score;
        }
      }
      start = count === 0 ? 0 : (start + 1) % count;
      return best;
    },

    observe(serverId: string, latencyMs: number): void {
      const at = now();
      const seen = latencies.get(serverId);
      if (seen === undefined) {
        latencies.set(serverId, { value: latencyMs, at });
        return;
      }
      const alpha = Math.max(MIN_ALPHA, 1 - Math.exp(-(at - seen.at) / DECAY_MS));
      seen.value += alpha * (latencyMs - seen.value);
      seen.at = at;
    },

    gauges() {
      const at = now();
      const values = [...latencies.keys()].map((id) => expected(id, at));
      return {
        tracked_servers: latencies.size,
        fastest_ms: values.length > 0 ? Math.min(...values) : 0,
        slowest_ms: values.length > 0 ? Math.max(...values) : 0,
      };
    },
  };
}
