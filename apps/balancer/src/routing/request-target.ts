import { quoted } from '../quoted.js';

/**
 * The request target a backend gets: the path and query exactly as the client sent them.
 *
 * Origin-form (`/path?query`) passes through untouched; nothing is normalised, since
 * resolving `..`, decoding `%2e` or turning `\` into `/` here would make the backend see
 * a different path from the one the client (and any rule in front of us) saw. Absolute-form
 * (`http://host/path`, which RFC 9112 section 3.2.2 says a server must accept) becomes
 * the origin-form of its path, again byte for byte. Anything else (`*`, a bare authority,
 * a relative path) has no path to forward: `undefined`, for the caller to answer 400.
 */
export function originFormOf(target: string): string | undefined {
  if (target.startsWith('/')) return target;
  const absolute = /^https?:\/\/[^/?#]*/i.exec(target);
  if (absolute === null) return undefined;
  const rest = target.slice(absolute[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** The 400 for a target `originFormOf` refused. */
export function badTargetMessage(target: string): string {
  return `the request target ${quoted(target)} is neither a path ("/...") nor an absolute http(s) URL`;
}
