/**
 * The bounded values of this backend's `route` label (`lbpoc_backend_requests_total`,
 * `lbpoc_backend_request_duration_seconds`). The backend answers every path, so labelling
 * by raw path would let any client create new time series; paths that are not one of the
 * named routes (request-handler.ts) are counted together as `other`.
 */
export const BACKEND_ROUTES = ['/', '/health', '/load', '/cpu', '/ws', 'other'] as const;

export type BackendRoute = (typeof BACKEND_ROUTES)[number];

/**
 * The route name for a request path (query string allowed and ignored). Matches exactly:
 * `/cpu/` or `/health/x` are `other`, because the backend only routes the exact paths.
 */
export function backendRoute(path: string): BackendRoute {
  const queryAt = path.indexOf('?');
  const pathname = queryAt === -1 ? path : path.slice(0, queryAt);
  switch (pathname) {
    case '/':
    case '/health':
    case '/load':
    case '/cpu':
    case '/ws':
      return pathname;
    default:
      return 'other';
  }
}
