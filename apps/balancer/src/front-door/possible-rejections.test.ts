import { REJECTION_REASONS } from '@lbpoc/metrics';
import { describe, expect, it } from 'vitest';
import { possibleRejections } from './possible-rejections.js';

const ALL_ON = {
  rateLimit: { ratePerSecond: 10, burst: 10, maxClients: 100, ipv6Prefix: 64 },
  maxBodyBytes: 1024,
  maxConnections: 100,
  maxConnectionsPerClient: 10,
  websocketIdleTimeoutMs: 60_000,
};

describe('possibleRejections', () => {
  it('is every reason @lbpoc/metrics exports when every limit is on: a new reason cannot start at 1', () => {
    expect([...possibleRejections(ALL_ON)].sort()).toEqual([...REJECTION_REASONS].sort());
  });

  it('leaves out the reasons of limits that are off', () => {
    const off = possibleRejections({ rateLimit: undefined, maxBodyBytes: 0, maxConnections: 0, maxConnectionsPerClient: 0, websocketIdleTimeoutMs: 0 });
    expect(off).toEqual(['unknown_algorithm', 'bad_request', 'headers_too_large', 'request_timeout']);
    expect(possibleRejections({ ...ALL_ON, rateLimit: undefined })).not.toContain('rate_limited');
    expect(possibleRejections({ ...ALL_ON, websocketIdleTimeoutMs: 0 })).not.toContain('websocket_idle');
  });
});
