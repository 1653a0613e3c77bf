import { weightOf } from '../server-load.js';
import type { Algorithm, Server } from '../types.js';
import type { PluginAlgorithm } from './algorithm-plugin.js';

/**
 * What a plugin did wrong on a request: its `pick` threw (`pick_threw`), answered a server
 * that is not one of those it was given (`foreign_pick`), or none while some had weight
 * (`no_pick`); or its `observe` threw (`observe_threw`).
 */
export const PLUGIN_FAULTS = ['pick_threw', 'foreign_pick', 'no_pick', 'observe_threw'] as const;
export type PluginFaultKind = (typeof PLUGIN_FAULTS)[number];

export interface PluginFault {
  readonly algorithm: string;
  readonly kind: PluginFaultKind;
  /** What was thrown, for `pick_threw` and `observe_threw`. */
  readonly error?: unknown;
}

export interface GuardOptions {
  /** Picks in the plugin's place when it fails one; a built-in, which never does. */
  readonly fallback: Algorithm;
  /** Told of every fault (count it, log it: the guard itself stays silent). */
  readonly onFault: (fault: PluginFault) => void;
}

/**
 * A plugin's instance that cannot take a request down with it. `checkAlgorithmPlugin` tries
 * one pick at start, but code from outside can still throw or answer nonsense on the
 * thousandth request; a load balancer must then still serve. Each failed pick is made by
 * `fallback` instead (the request is served, by a rule that respects weights), a throwing
 * `observe` is skipped, and every fault goes to `onFault`.
 *
 * Cost per pick: the plugin's own, plus an identity scan of `servers` to check its answer
 * (O(n), no allocation).
 */
export function guardPluginAlgorithm(inner: PluginAlgorithm, { fallback, onFault }: GuardOptions): PluginAlgorithm {
  const algorithm = inner.name;
  function fail<S extends Server>(kind: PluginFaultKind, servers: readonly S[], key: string | undefined, error?: unknown): S | undefined {
    onFault(error === undefined ? { algorithm, kind } : { algorithm, kind, error });
    return fallback.pick(servers, key);
  }
  const guarded: PluginAlgorithm = {
    name: inner.name,
    get lastUsed() {
      return inner.lastUsed;
    },
    pick<S extends Server>(servers: readonly S[], key?: string): S | undefined {
      let picked: S | undefined;
      try {
        picked = inner.pick(servers, key);
      } catch (error) {
        return fail('pick_threw', servers, key, error);
      }
      if (picked === undefined) return servers.some((server) => weightOf(server) > 0) ? fail('no_pick', servers, key) : undefined;
      return servers.includes(picked) ? picked : fail('foreign_pick', servers, key);
    },
    observe(serverId, latencyMs) {
      try {
        inner.observe(serverId, latencyMs);
      } catch (error) {
        onFault({ algorithm, kind: 'observe_threw', error });
      }
    },
  };
  if (inner.gauges !== undefined) guarded.gauges = () => inner.gauges!();
  return guarded;
}
