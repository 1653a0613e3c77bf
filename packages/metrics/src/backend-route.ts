/**
 * The bounded values of the backend's `route` label. The demo backend answers every
 * path, so labelling by raw path would let any client create new time series; paths
 * that are not one of the named routes are counted together as `other`.
 */
export const BACKEND_ROUTES = ['/', '/health', '/cpu', '/ws', 'other'] as const;

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
    case '/cpu':
    case '/ws':
      return pathname;
    default:
      return 'other';
  }
}
