import { describe, expect, it } from 'vitest';
import { SnapshotCache } from './snapshot-cache.js';

describe('SnapshotCache', () => {
  it('keeps the same frozen array while members and weights are unchanged', () => {
    const a = { weight: 1 };
    const b = { weight: 2 };
    const cache = new SnapshotCache<{ weight: number }>();
    expect(cache.update([a, b])).toBe(true);
    const first = cache.current;
    expect(Object.isFrozen(first)).toBe(true);
    expect(cache.update([a, b])).toBe(false);
    expect(cache.current).toBe(first);
  });

  it('publishes a new array when members, order or a weight change', () => {
    const a = { weight: 1 };
    const b = { weight: 2 };
    const cache = new SnapshotCache<{ weight: number }>();
    cache.update([a, b]);
    const seen = [cache.current];
    expect(cache.update([b, a])).toBe(true);
    seen.push(cache.current);
    expect(cache.update([b])).toBe(true);
    seen.push(cache.current);
    b.weight = 3;
    expect(cache.update([b])).toBe(true);
    seen.push(cache.current);
    expect(new Set(seen).size).toBe(4);
  });
});
