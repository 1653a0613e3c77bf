/**
 * The `q`-quantile of the first `count` values of `values`, by linear interpolation between
 * the two nearest ranks (numpy's default, R's type 7): the value at position q x (count - 1)
 * of the sorted values. With three values and q = 0.84, a unique maximum is above it, so it
 * is "hot"; nearest rank would make the maximum itself the threshold and nothing hot.
 *
 * Reorders `values[0, count)` in place (quickselect): pass a scratch copy. O(count)
 * expected, no allocation. `count` must be at least 1; `q` in [0, 1].
 */
export function quantileInPlace(values: Float64Array, count: number, q: number): number {
  const position = q * (count - 1);
  const lower = Math.floor(position);
  select(values, count, lower);
  const below = values[lower]!;
  if (position === lower) return below;
  let above = Number.POSITIVE_INFINITY; // the next order statistic: the least value right of `lower`
  for (let i = lower + 1; i < count; i++) if (values[i]! < above) above = values[i]!;
  return below + (above - below) * (position - lower);
}

/** Places the k-th smallest of `values[0, count)` at index k, smaller ones before, larger after (returns nothing: a returned double may be boxed). */
function select(values: Float64Array, count: number, k: number): void {
  let left = 0;
  let right = count - 1;
  while (left < right) {
    const pivot = values[(left + right) >>> 1]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break; // values[j + 1 .. i - 1] all equal the pivot, and k is among them
  }
}
