/**
 * Fixed latency buckets for the status page's 10-second percentiles: 4 per doubling, so
 * neighbouring bounds are 19% apart and a quantile interpolated inside its bucket is off
 * by at most that (typically far less). Bucket 0 holds everything under 10 µs, the last
 * one everything from ~2.3 min up. A sample's bucket is one `Math.log2`: no search, no
 * allocation, so it can run on every request.
 */
export const BUCKETS_PER_DOUBLING = 4;
/** Upper bound of bucket 0, in ms. */
export const FIRST_BOUND_MS = 0.01;
export const BUCKET_COUNT = 96;

const SCALE = 1 / FIRST_BOUND_MS;
const LAST = BUCKET_COUNT - 1;

/** The bucket of a latency in ms; NaN and negative values go to bucket 0. */
export function bucketOf(ms: number): number {
  if (!(ms >= FIRST_BOUND_MS)) return 0;
  const index = 1 + Math.floor(Math.log2(ms * SCALE) * BUCKETS_PER_DOUBLING);
  return Math.min(index, LAST);
}

/** Lower bound of bucket `index` (1..BUCKET_COUNT-1), in ms; 0 for bucket 0. */
export function lowerBoundMs(index: number): number {
  return index <= 0 ? 0 : FIRST_BOUND_MS * 2 ** ((index - 1) / BUCKETS_PER_DOUBLING);
}

/**
 * The `q` quantile (0..1) of the samples counted in `counts` (`BUCKET_COUNT` entries,
 * from `offset`), in ms, interpolated inside its bucket on a log scale (as the buckets
 * are); null when there are no samples. The open-ended buckets answer their finite bound.
 */
export function quantileMs(counts: ArrayLike<number>, total: number, q: number, offset = 0): number | null {
  if (total <= 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < BUCKET_COUNT; i++) {
    const count = counts[offset + i]!;
    if (count === 0) continue;
    if (seen + count >= rank) {
      if (i === 0) return FIRST_BOUND_MS;
      if (i === LAST) return lowerBoundMs(LAST);
      const lower = lowerBoundMs(i);
      const fraction = Math.min(1, Math.max(0, (rank - seen) / count));
      return lower * 2 ** (fraction / BUCKETS_PER_DOUBLING);
    }
    seen += count;
  }
  return lowerBoundMs(LAST);
}
