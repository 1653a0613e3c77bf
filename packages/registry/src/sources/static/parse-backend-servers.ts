import { isIPv6 } from 'node:net';
import { type BackendAddress, backendId, MAX_WEIGHT } from '../../shared/backend-address.js';
import { InvalidBackendServersError } from '../../shared/errors.js';

/** RFC 1123 labels, plus `_` because Docker Compose service names may contain it. */
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;
const DIGITS = /^[0-9]+$/;

/**
 * Parses the `BACKEND_SERVERS` environment variable into backend addresses.
 *
 * Syntax: comma-separated entries `host:port` or `host:port@weight`.
 * - `host` is a hostname (lower-cased, so ids are canonical), an IPv4 address, or an IPv6
 *   address in brackets: `[::1]:5001`.
 * - `weight` is an integer 0..1000, default 1; 0 keeps the backend known but drained.
 * - Whitespace around entries is ignored; empty entries are errors (a stray comma usually
 *   means a backend was lost while editing).
 * - The id is `host:port` (`[v6]:port`); two entries with the same id are an error.
 *
 * `@` was chosen because it cannot occur in a hostname, an IP address or a port, so the
 * weight is unambiguous even for bracketed IPv6 (whose colons rule out `:weight`).
 *
 * @example parseBackendServers('web1:5001,web2:5001@3,[::1]:5002@0')
 * @throws InvalidBackendServersError naming the bad entry, what is wrong and the syntax
 */
export function parseBackendServers(value: string): BackendAddress[] {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidBackendServersError(String(value), undefined, 'the value is empty; list at least one backend');
  }
  const seen = new Set<string>();
  return value.split(',').map((raw) => {
    const entry = raw.trim();
    const address = parseEntry(value, entry);
    if (seen.has(address.id)) throw new InvalidBackendServersError(value, entry, `duplicates an earlier entry (id ${address.id})`);
    seen.add(address.id);
    return address;
  });
}

function parseEntry(value: string, entry: string): BackendAddress {
  const fail = (reason: string): never => {
    throw new InvalidBackendServersError(value, entry, reason);
  };
  if (entry === '') fail('is empty (a comma at the start or end, or two in a row)');
  if (entry.includes('://')) fail('must not include a scheme such as http://; give host:port');
  if (/\s/.test(entry)) fail('contains whitespace');

  const at = entry.indexOf('@');
  const hostPort = at === -1 ? entry : entry.slice(0, at);
  let weight = 1;
  if (at !== -1) {
    const text = entry.slice(at + 1);
    const parsed = Number(text);
    if (!DIGITS.test(text) || parsed > MAX_WEIGHT) fail(`weight must be an integer from 0 to ${MAX_WEIGHT}, got ${JSON.stringify(text)}`);
    weight = parsed;
  }
  if (hostPort.includes('/')) fail('must not include a path; give host:port');

  let host: string;
  let portText: string;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close === -1) fail('has an opening "[" without a closing "]"');
    host = hostPort.slice(1, close).toLowerCase();
    if (!isIPv6(host)) fail(`${JSON.stringify(host)} in brackets is not an IPv6 address`);
    if (hostPort[close + 1] !== ':') fail('has no port after the bracketed address; write [address]:port');
    portText = hostPort.slice(close + 2);
  } else {
    const colon = hostPort.lastIndexOf(':');
    if (colon === -1) fail('has no port; write host:port');
    host = hostPort.slice(0, colon).toLowerCase();
    portText = hostPort.slice(colon + 1);
    if (host.includes(':')) fail('looks like an IPv6 address without brackets; write [address]:port');
    if (!HOSTNAME.test(host)) fail(`host ${JSON.stringify(host)} is not a valid hostname or IP address`);
  }
  const port = Number(portText);
  if (!DIGITS.test(portText) || port < 1 || port > 65_535) fail(`port must be an integer from 1 to 65535, got ${JSON.stringify(portText)}`);

  return { id: backendId(host, port), host, port, weight };
}
