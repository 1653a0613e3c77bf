import { describe, expect, it } from 'vitest';
import { HISTORY_SECONDS, HistoryRing } from './status-history.js';

describe('HistoryRing', () => {
  it('returns points oldest first, null where a backend had no p99, rounded', () => {
    const history = new HistoryRing();
    history.push(1000, [{ id: 'a', rps: 1.234, p99Ms: null }], [{ name: 'p2c', rps: 1.234 }]);
    history.push(
      2000,
      [
        { id: 'a', rps: 2, p99Ms: 1.23456 },
        { id: 'b', rps: 5, p99Ms: 1 },
      ],
      [{ name: 'p2c', rps: 7 }],
    );
    expect(history.toJSON()).toEqual({
      t: [1000, 2000],
      backends: [
        { id: 'a', rps: [1.23, 2], p99_ms: [null, 1.235] },
        { id: 'b', rps: [null, 5], p99_ms: [null, 1] },
      ],
      algorithms: [{ name: 'p2c', rps: [1.23, 7] }],
    });
  });

  it(`keeps the last ${HISTORY_SECONDS} points, and drops a backend that left`, () => {
    const history = new HistoryRing();
    for (let i = 0; i < HISTORY_SECONDS + 25; i++)
      history.push(i * 1000, [{ id: 'a', rps: i, p99Ms: 1 }, ...(i < 10 ? [{ id: 'gone', rps: 1, p99Ms: 1 }] : [])], []);
    const json = history.toJSON();
    expect(json.t).toHaveLength(HISTORY_SECONDS);
    expect(json.t[0]).toBe(25_000);
    expect(json.t.at(-1)).toBe((HISTORY_SECONDS + 24) * 1000);
    expect(json.backends.map((b) => b.id)).toEqual(['a']);
    expect(json.backends[0]!.rps.at(-1)).toBe(HISTORY_SECONDS + 24);
  });
});
