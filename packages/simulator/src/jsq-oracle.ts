import type { SimulatedServer } from './simulated-server.js';

/**
 * Join the shortest queue, with knowledge no real balancer has: each backend's true queue
 * (`backendInFlight`: every balancer's requests and outside load) and its current capacity
 * (speed x concurrency). It sends a request to the server with the fewest requests in
 * flight per unit of capacity, ties broken uniformly at random, and scans every server on
 * every pick. With equal concurrency that is "fewest in flight per unit of speed". With
 * several balancers each runs one, all reading the same truth. A yardstick for the real
 * algorithms, not one of them: it is deliberately not exported as an `Algorithm` nor
 * offered on the wire.
 *
 * Complexity: O(n) per pick.
 */
export class JsqOracle {
  readonly name = 'jsq_oracle';

  constructor(private readonly random: () => number) {}

  pick(servers: readonly SimulatedServer[]): SimulatedServer | undefined {
    let best: SimulatedServer | undefined;
    let bestLoad = Number.POSITIVE_INFINITY;
    let ties = 0;
    for (const server of servers) {
      if (!(server.weight > 0)) continue; // drained: a real balancer would not send it traffic either
      const load = server.backendInFlight / (server.speed * server.concurrency);
      if (load < bestLoad) {
        best = server;
        bestLoad = load;
        ties = 1;
      } else if (load === bestLoad && this.random() * ++ties < 1) {
        best = server; // reservoir sampling: each of the k tied servers kept with probability 1/k
      }
    }
    return best;
  }

  observe(): void {}
}
