/** `CLIENT_IPV6_PREFIX`'s default: one customer's network, as an ISP hands it out. */
export const DEFAULT_IPV6_PREFIX = 64;

/**
 * The key a client is counted under (its rate-limit bucket, its connections): an IPv4
 * address as it is, and an IPv6 address by its first `ipv6Prefix` bits, written
 * `2001:db8:1:2::/64`. One IPv6 host usually holds a whole /64 (SLAAC, privacy
 * addresses), so keying by the full address would give it 2^64 keys: a fresh bucket per
 * request (express-rate-limit masks IPv6 clients by default for the same reason).
 *
 * An IPv4-mapped address (`::ffff:10.0.0.1`, how a dual-stack socket reports an IPv4
 * peer) is that IPv4 address. A zone index (`fe80::1%eth0`) is dropped: it is this
 * host's name for a link, not part of the client's address. A string that is not an IP
 * address is its own key. Pure and cheap: no colon, no work; an IPv6 address is read in
 * one pass (under a microsecond).
 */
export function clientKey(address: string, ipv6Prefix: number = DEFAULT_IPV6_PREFIX): string {
  // No colon: IPv4, or not an address at all; either way its own key.
  if (address.indexOf(':') < 0) return address;
  const groups = scratch;
  if (!readIpv6(address, groups)) return address;
  if (groups[5] === 0xffff && groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0) {
    return `${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`;
  }
  if (ipv6Prefix >= 128) return formatIpv6(groups);
  for (let i = 0; i < 8; i++) {
    const keep = Math.min(16, Math.max(0, ipv6Prefix - i * 16)); // bits of group i inside the prefix
    groups[i] = groups[i]! & ((0xffff << (16 - keep)) & 0xffff);
  }
  return `${formatIpv6(groups)}/${ipv6Prefix}`;
}

/** Where `readIpv6` puts the groups: read and formatted before clientKey returns, so one buffer serves every call. */
const scratch = new Uint16Array(8);

/** A decimal octet of a dotted IPv4 part: 0..255, no leading zero (as `net.isIPv6` has it). */
const OCTET = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)$/;
/** A zone index as `net.isIPv6` accepts it. */
const ZONE = /^%[0-9a-zA-Z.:-]+$/;

/**
 * Reads an IPv6 address into its eight 16-bit groups; false when it is not one. Accepts
 * exactly what `net.isIPv6` accepts (the tests hold it to that), in one pass without
 * allocating: node's regular expression alone costs up to a couple of microseconds, and
 * this runs on every request.
 */
function readIpv6(address: string, groups: Uint16Array): boolean {
  let end = address.indexOf('%');
  if (end < 0) end = address.length;
  else if (!ZONE.test(address.slice(end))) return false;
  let count = 0;
  let gap = -1;
  let i = 0;
  if (address.charCodeAt(0) === COLON) {
    if (address.charCodeAt(1) !== COLON) return false;
    gap = 0;
    i = 2;
  }
  while (i < end) {
    const start = i;
    let value = 0;
    for (let digit = hexDigit(address.charCodeAt(i)); digit >= 0 && i - start < 4; digit = hexDigit(address.charCodeAt(++i))) value = value * 16 + digit;
    if (i === start) return false;
    if (address.charCodeAt(i) === DOT) {
      // A dotted IPv4 part ends the address and fills its last two groups.
      if (count > 6) return false;
      const octets = address.slice(start, end).split('.');
      if (octets.length !== 4 || !octets.every((octet) => OCTET.test(octet))) return false;
      const [a, b, c, d] = octets.map(Number) as [number, number, number, number];
      groups[count++] = (a << 8) | b;
      groups[count++] = (c << 8) | d;
      break;
    }
    if (count === 8) return false;
    groups[count++] = value;
    if (i === end) break;
    if (address.charCodeAt(i) !== COLON) return false; // a fifth hex digit or a stray character
    i++;
    if (address.charCodeAt(i) === COLON) {
      if (gap >= 0) return false; // a second `::`
      gap = count;
      i++;
    } else if (i === end) {
      return false; // a single trailing colon
    }
  }
  if (gap < 0) return count === 8;
  if (count > 7) return false; // `::` stands for at least one group
  // Move the groups after `::` to the end and zero what it stands for.
  const after = count - gap;
  groups.copyWithin(8 - after, gap, count);
  groups.fill(0, gap, 8 - after);
  return true;
}

const COLON = 58;
const DOT = 46;

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  const lower = code | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1; // a-f, A-F
}

/** RFC 5952 text: lower-case hex, no leading zeros, the longest run of two or more zero groups as `::`. */
function formatIpv6(groups: Uint16Array): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < 8 && groups[end] === 0) end++;
    if (end - i > bestLength) {
      bestStart = i;
      bestLength = end - i;
    }
    i = end;
  }
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      text += '::';
      i += bestLength - 1;
      continue;
    }
    if (text !== '' && !text.endsWith(':')) text += ':';
    text += groups[i]!.toString(16);
  }
  return text;
}
