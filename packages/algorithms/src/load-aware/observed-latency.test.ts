import { describe, expect, it } from 'vitest';
import { LatencyTrack, ObservedLatency } from './observed-latency.js';

describe('LatencyTrack (own samples, as latency per request in flight)', () => {
  it('scales the latency per request in flight to the count asked for', () => {
    const track = new LatencyTrack(1_000);
    track.observe(30, 0, 2); // 30 ms with 2 in flight: 10 per (in flight + 1)
    expect(track.latencyAt(0, 1_000, 0)).toBe(10);
    expect(track.latencyAt(0, 1_000, 4)).toBe(50);
  });

  it('weighs samples by age: one decayTime old counts e^-1 as much as a new one; same instant, equally', () => {
    const track = new LatencyTrack(1_000);
    track.observe(10, 0, 0);
    track.observe(40, 1_000, 0);
    const w = Math.exp(-1);
    expect(track.latencyAt(1_000, 5_000, 0)).toBeCloseTo((10 * w + 40) / (w + 1), 12);
    const burst = new LatencyTrack(1_000);
    burst.observe(10, 0, 0);
    burst.observe(20, 0, 0);
    expect(burst.latencyAt(0, 5_000, 0)).toBe(15);
  });

  it('answers only while the last sample is at most maxAge old, NaN before any, and ignores broken samples', () => {
    const track = new LatencyTrack(1_000);
    expect(track.latencyAt(0, 500, 0)).toBeNaN();
    track.observe(10, 0, 0);
    track.observe(Number.NaN, 10, 0);
    track.observe(-1, 10, 0);
    track.observe(Number.POSITIVE_INFINITY, 10, 0);
    expect(track.latencyAt(500, 500, 0)).toBe(10);
    expect(track.latencyAt(501, 500, 0)).toBeNaN();
  });
});

describe('ObservedLatency (a track per server id)', () => {
  it('keeps one track per id, finds without making, and forgets departed servers', () => {
    const latencies = new ObservedLatency(1_000);
    expect(latencies.find('a')).toBeUndefined();
    expect(latencies.track('a')).toBe(latencies.track('a'));
    latencies.track('b');
    latencies.retainOnly(new Set(['b']));
    expect([latencies.size, latencies.find('a'), latencies.find('b')]).toEqual([1, undefined, latencies.track('b')]);
  });
});
