import { inFlightOf, lessLoaded, weightOf } from './server-load.js';
import { TwoChoices } from './two-choices.js';
import type { Algorithm, Server } from './types.js';

/**
 * Power of two choices (Mitzenmacher; Envoy's least-request default): two different servers
 * drawn at random (weighted), the one with fewer requests in flight per unit of weight wins.
 * Nearly as good as scanning every server, at constant cost, and without the herd effect of
 * a global minimum when many balancers share stale counts. A tie keeps the first draw, so
 * with nothing in flight the picks follow the weights exactly, as Envoy's least_request
 * does at zero load (why, and what the alternatives give: `TwoChoices`).
 *
 * Complexity: O(1) expected per pick, independent of the number of servers. No allocation.
 */
export class PowerOfTwoChoices implements Algorithm {
  readonly name = 'p2c';
  readonly lastUsed = 'p2c';

  private readonly choices: TwoChoices;

  constructor(random: () => number) {
    this.choices = new TwoChoices(random, isLessLoaded);
  }

  pick<S extends Server>(servers: readonly S[]): S | undefined {
    return this.choices.pick(servers);
  }

  observe(): void {}
}

function isLessLoaded(candidate: Server, current: Server): boolean {
  return lessLoaded(inFlightOf(candidate), weightOf(candidate), inFlightOf(current), weightOf(current));
}
