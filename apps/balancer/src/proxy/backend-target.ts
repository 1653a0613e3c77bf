import type { RoutableBackend as Backend } from '../routing/request-pool.js';

export interface ProxyTarget {
  readonly protocol: 'http:';
  readonly host: string;
  readonly port: number;
}

const targets = new WeakMap<Backend, ProxyTarget>();

/** http-proxy-3's target for a backend, built once per backend rather than once per request. */
export function targetOf(backend: Backend): ProxyTarget {
  let target = targets.get(backend);
  if (target === undefined) {
    target = { protocol: 'http:', host: backend.host.replace(/^\[(.*)\]$/, '$1'), port: backend.port };
    targets.set(backend, target);
  }
  return target;
}

const origins = new WeakMap<Backend, string>();

/** undici's origin for a backend (`http://host:port`, IPv6 in brackets), built once per backend. */
export function originOf(backend: Backend): string {
  let origin = origins.get(backend);
  if (origin === undefined) {
    const host = backend.host.includes(':') && !backend.host.startsWith('[') ? `[${backend.host}]` : backend.host;
    origin = `http://${host}:${backend.port}`;
    origins.set(backend, origin);
  }
  return origin;
}
