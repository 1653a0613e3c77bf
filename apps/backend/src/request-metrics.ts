import type { IncomingMessage, ServerResponse } from 'node:http';
import { type BackendMetrics, statusClass } from '@lbpoc/metrics';
import { backendRoute } from './backend-route.js';

/**
 * Counts one HTTP request: in flight until the response is done, then its route,
 * status class and duration. A response that never finished (the client went away
 * first) counts as status class `error`, not as the status that was about to be sent.
 */
export function trackRequest(metrics: BackendMetrics, serverId: string, req: IncomingMessage, res: ServerResponse): void {
  const route = backendRoute(req.url ?? '/');
  const endTimer = metrics.requestDuration.startTimer({ server_id: serverId, route });
  metrics.inFlight.inc({ server_id: serverId });
  res.once('close', () => {
    metrics.inFlight.dec({ server_id: serverId });
    const status_class = res.writableFinished ? statusClass(res.statusCode) : 'error';
    metrics.requestsTotal.inc({ server_id: serverId, route, status_class });
    endTimer();
  });
}
