import type { RejectionReason } from '@lbpoc/metrics';
import type { FrontDoorConfig } from './front-door-config.js';

/**
 * The rejection reasons a front door with this configuration can count: the front door
 * exports each at 0 from the start, since a series that first appears at 1 hides that
 * first rejection from rate() and increase(). With every limit on, all of
 * `REJECTION_REASONS`.
 */
export function possibleRejections(
  config: Pick<FrontDoorConfig, 'rateLimit' | 'maxBodyBytes' | 'maxConnections' | 'maxConnectionsPerClient' | 'websocketIdleTimeoutMs'>,
): RejectionReason[] {
  const reasons: RejectionReason[] = ['unknown_algorithm', 'bad_request', 'headers_too_large', 'request_timeout'];
  if (config.rateLimit !== undefined) reasons.push('rate_limited');
  if (config.maxBodyBytes > 0) reasons.push('body_too_large');
  if (config.maxConnections > 0) reasons.push('too_many_connections');
  if (config.maxConnectionsPerClient > 0) reasons.push('too_many_connections_per_client');
  if (config.websocketIdleTimeoutMs > 0) reasons.push('websocket_idle');
  return reasons;
}
