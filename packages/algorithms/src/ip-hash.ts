import { hashString } from './hash.js';
import { MaglevTable } from './maglev-table.js';
import { weightOf } from './server-load.js';
import type { Algorithm, Server } from './types.js';

/**
 * Client affinity by consistent hashing: the key (the client address) is hashed into a
 * weighted Maglev table, so the same key goes to the same server while the list is
 * unchanged, and adding an 11th server to 10 moves about 1/11 of the keys, not the ~91%
 * that the seed's `hash(ip) % n` moves.
 *
 * Complexity: O(length of key) per pick, independent of the number of servers; the table
 * is rebuilt (O(M)) only when the server array changes. No allocation per pick.
 */
export class IpHash implements Algorithm {
  readonly name = 'ip_hash';
  readonly lastUsed = 'ip_hash';
  private snapshot: readonly Server[] | undefined;
  private snapshotLength = -1;
  private table: MaglevTable | undefined;

  pick<S extends Server>(servers: readonly S[], key = ''): S | undefined {
    if (servers !== this.snapshot || servers.length !== this.snapshotLength || this.table === undefined) {
      this.rebuild(servers);
    }
    const hash = hashString(key);
    let server = this.serverAt(servers, hash);
    if (server !== undefined && weightOf(server) === 0) {
      // Drained in place without a new array: rebuild rather than send a key to it.
      this.rebuild(servers);
      server = this.serverAt(servers, hash);
    }
    return server;
  }

  private serverAt<S extends Server>(servers: readonly S[], hash: number): S | undefined {
    const index = this.table!.lookup(hash);
    return index < 0 ? undefined : servers[index];
  }

  private rebuild(servers: readonly Server[]): void {
    this.table = new MaglevTable(servers);
    this.snapshot = servers;
    this.snapshotLength = servers.length;
  }

  observe(): void {}
}
