/**
 * The order of the runs: every algorithm once per round, `repeat` rounds (A, B, C, A, B,
 * C, ...), so a drift of the machine over the session (another job starting, a warming
 * cache) falls on every algorithm alike instead of on whichever ran last.
 *
 * @returns {{ algorithm: string, repetition: number }[]} repetition counts from 1
 */
export function interleave(algorithms, repeat) {
  if (!(Number.isInteger(repeat) && repeat >= 1)) throw new RangeError(`repeat must be a positive integer, got ${repeat}`);
  const order = [];
  for (let repetition = 1; repetition <= repeat; repetition++) for (const algorithm of algorithms) order.push({ algorithm, repetition });
  return order;
}
