import type { IncomingMessage } from 'node:http';
import { quoted } from '../quoted.js';

/** RFC 3986 host (reg-name, IPv4, or a bracketed IPv6 literal with an optional zone) and optional port. */
const HOST = /^(?:\[[0-9A-Fa-f:.]+(?:%25[\w.~-]+)?\]|[\w.~!$&'()*+,;=%-]*)(?::\d*)?$/;
/** The last transfer coding is `chunked` (node joins repeated headers with ", "). */
const ENDS_IN_CHUNKED = /(?:^|,)[ \t]*chunked[ \t]*$/i;

/**
 * What node's parser lets through but RFC 9112 says a server must answer with 400, and a
 * proxy must therefore not pass on: no Host in HTTP/1.1, more than one Host, a Host that
 * is not a host, and a Transfer-Encoding that does not end in `chunked` (node lets that
 * through on requests it first took for upgrades). The last is a request-smuggling
 * primitive: a backend that reads such a body until the connection closes would take the
 * next request on that pooled connection, another client's, as part of it.
 *
 * Returns the message for the 400, or undefined when the head is fine. Costs a pass over
 * the raw header names and one regular expression per request.
 */
export function requestHeadProblem(req: IncomingMessage): string | undefined {
  const host = req.headers.host;
  if (host === undefined) {
    return req.httpVersionMajor === 1 && req.httpVersionMinor === 1 ? 'an HTTP/1.1 request needs a Host header (RFC 9112 section 3.2)' : undefined;
  }
  let hosts = 0;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length === 4 && raw[i]!.toLowerCase() === 'host') hosts++;
  // node keeps the first Host and silently drops the others.
  if (hosts > 1) return `the request has ${hosts} Host headers; RFC 9112 section 3.2 allows one`;
  if (!HOST.test(host)) return `the Host header ${quoted(host)} is not a host name or IP address with an optional port (RFC 9112 section 3.2)`;
  const coding = req.headers['transfer-encoding'];
  if (coding !== undefined && !ENDS_IN_CHUNKED.test(coding)) {
    return `Transfer-Encoding ${quoted(coding)} does not end in chunked, so the body has no knowable length (RFC 9112 section 6.1)`;
  }
  return undefined;
}
