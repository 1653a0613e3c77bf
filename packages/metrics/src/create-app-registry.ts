import { collectDefaultMetrics, Registry } from 'prom-client';
import type { MetricsOptions } from './metrics-options.js';

/**
 * A fresh registry for one app. Never prom-client's global `register`: a library that
 * registers into the global would collide with (or leak into) whatever else in the
 * process uses prom-client, and two instances in one test process would share state.
 */
export function createAppRegistry(options: MetricsOptions = {}): Registry {
  const registry = new Registry();
  if (options.defaultLabels !== undefined) registry.setDefaultLabels({ ...options.defaultLabels });
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return registry;
}
