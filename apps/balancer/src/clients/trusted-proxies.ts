import { BlockList, isIP } from 'node:net';

/** A bad entry in the trusted proxy list. */
export class InvalidTrustedProxyError extends Error {
  override readonly name = 'InvalidTrustedProxyError';
  constructor(readonly entry: string) {
    super(`${JSON.stringify(entry)} is not an IP address or CIDR range (examples: 10.0.0.5, 172.16.0.0/12, ::1, fd00::/8)`);
  }
}

/**
 * The proxies whose X-Forwarded-For we believe. Everyone else's X-Forwarded-For is
 * ignored for client identification (ip_hash) and dropped before forwarding, so a client
 * cannot choose its own backend or spoof its address downstream.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly size: number;

  /** @param entries IP addresses and CIDR ranges, IPv4 or IPv6. */
  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [address = '', prefix, extra] = entry.split('/');
      const family = isIP(address);
      if (family === 0 || extra !== undefined) throw new InvalidTrustedProxyError(entry);
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) {
        this.list.addAddress(address, type);
        continue;
      }
      const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
      if (bits < 0 || bits > (family === 4 ? 32 : 128)) throw new InvalidTrustedProxyError(entry);
      this.list.addSubnet(address, bits, type);
    }
    this.size = entries.length;
  }

  static parse(value: string | undefined): TrustedProxies {
    const entries = (value ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    return new TrustedProxies(entries);
  }

  isTrusted(address: string): boolean {
    if (this.size === 0) return false;
    const plain = unmapIpv4(address);
    const family = isIP(plain);
    return family !== 0 && this.list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  }

  /**
   * The client's address: the socket peer, or, when the peer is a trusted proxy, the
   * right-most X-Forwarded-For entry that is not itself a trusted proxy (nginx's
   * `real_ip_recursive`). Malformed entries end the walk: nothing left of them is believed.
   */
  clientAddress(peer: string, forwardedFor: string | string[] | undefined): string {
    const direct = unmapIpv4(peer);
    if (forwardedFor === undefined || !this.isTrusted(direct)) return direct;
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
    let client = direct;
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = unmapIpv4(hops[i]!.trim());
      if (isIP(hop) === 0) break;
      client = hop;
      if (!this.isTrusted(hop)) break;
    }
    return client;
  }
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) reads as `10.0.0.1`. */
export function unmapIpv4(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
