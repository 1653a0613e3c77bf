import { Agent } from 'undici';

export interface UpstreamAgentOptions {
  /** `CONNECT_TIMEOUT_MS`: no TCP connection within this time is a connect failure. */
  readonly connectTimeoutMs: number;
}

/**
 * The connections to the backends: one undici `Agent`, which keeps a pool of keep-alive
 * connections per backend origin, unbounded in number (the front door bounds the
 * clients), one request per connection at a time (no pipelining: a backend's slow answer
 * must not hold up another client's). Idle connections close after undici's keep-alive
 * timeout or the backend's own `Keep-Alive: timeout` hint, whichever is shorter.
 */
export function createUpstreamAgent(options: UpstreamAgentOptions): Agent {
  return new Agent({
    connections: null,
    pipelining: 1,
    connect: { timeout: options.connectTimeoutMs },
  });
}

/**
 * undici checks its headers and body timeouts on a shared coarse clock (about a second of
 * resolution), which costs nothing per request. A timeout this short or shorter would be
 * off by a noticeable share, so the balancer times the wait for the response head itself.
 */
export const COARSE_TIMEOUT_FLOOR_MS = 10_000;
