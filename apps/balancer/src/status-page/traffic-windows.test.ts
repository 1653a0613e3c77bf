import { describe, expect, it } from 'vitest';
import { WINDOW_SECONDS } from './request-window.js';
import { TrafficWindows } from './traffic-windows.js';

/** A clock the test moves. */
function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('TrafficWindows', () => {
  it('reports the last complete second per backend and per algorithm, and nothing from the second still running', () => {
    const time = clock();
    const traffic = new TrafficWindows(time.now);
    for (let i = 0; i < 30; i++) traffic.finished('round_robin', 'a:1', 200, 0.004);
    for (let i = 0; i < 10; i++) traffic.finished('p2c', 'b:1', 200, 0.02);
    expect(traffic.backend('a:1').requests).toBe(0); // still the current second
    time.advance(1000);
    traffic.rotate();
    traffic.finished('round_robin', 'a:1', 200, 0.004); // the new second: not counted yet
    const a = traffic.backend('a:1');
    expect(a).toMatchObject({ lastSecond: 30, rps: 30, requests: 30, errors: 0 });
    expect(a.p50Ms!).toBeGreaterThan(4 / 1.2);
    expect(a.p50Ms!).toBeLessThan(4 * 1.2);
    expect(traffic.algorithm('p2c')).toMatchObject({ lastSecond: 10, requests: 10 });
    expect(traffic.algorithm('p2c').p99Ms!).toBeGreaterThan(20 / 1.2);
    expect(traffic.algorithm('random')).toEqual({ lastSecond: 0, rps: 0, requests: 0, errors: 0, p50Ms: null, p99Ms: null });
  });

  it('divides by the real length of the second that ended (a late timer does not inflate the rate)', () => {
    const time = clock();
    const traffic = new TrafficWindows(time.now);
    for (let i = 0; i < 30; i++) traffic.finished('round_robin', 'a:1', 200, 0.001);
    time.advance(1500);
    traffic.rotate();
    expect(traffic.backend('a:1').rps).toBeCloseTo(20, 6);
  });

  it('counts 5xx and requests without a response as errors, 4xx not', () => {
    const time = clock();
    const traffic = new TrafficWindows(time.now);
    for (const status of [200, 404, 500, 503, undefined]) traffic.finished('round_robin', 'a:1', status, 0.001);
    time.advance(1000);
    traffic.rotate();
    expect(traffic.backend('a:1')).toMatchObject({ requests: 5, errors: 3 });
  });

  it(`keeps ${WINDOW_SECONDS} seconds for percentiles and errors, then forgets them`, () => {
    const time = clock();
    const traffic = new TrafficWindows(time.now);
    for (let i = 0; i < 100; i++) traffic.finished('round_robin', 'a:1', 500, 0.5);
    for (let second = 1; second <= WINDOW_SECONDS; second++) {
      time.advance(1000);
      traffic.rotate();
      expect(traffic.backend('a:1'), `after ${second} s`).toMatchObject({ requests: 100 + second - 1, errors: 100 });
      traffic.finished('round_robin', 'a:1', 200, 0.001);
    }
    // The second with the slow failures has left the window; the fast successes remain.
    time.advance(1000);
    traffic.rotate();
    const summary = traffic.backend('a:1');
    expect(summary).toMatchObject({ requests: WINDOW_SECONDS, errors: 0 });
    expect(summary.p99Ms!).toBeLessThan(1.2); // 1 ms, not the 500 ms that left
  });

  it('forgets backends that left the pool', () => {
    const traffic = new TrafficWindows();
    traffic.finished('round_robin', 'a:1', 200, 0.001);
    traffic.finished('round_robin', 'b:1', 200, 0.001);
    traffic.rotate();
    traffic.keepBackends(new Set(['b:1']));
    expect(traffic.backend('a:1').requests).toBe(0);
    expect(traffic.backend('b:1').requests).toBe(1);
  });

  it("moves a second from one thread's windows to another's (worker threads to the primary)", () => {
    const worker = new TrafficWindows();
    for (let i = 0; i < 7; i++) worker.finished('p2c', 'a:1', i === 0 ? 502 : 200, 0.003);
    worker.finished('round_robin', 'b:1', 200, 0.5);
    const second = { ...worker.takeSecond(), decisions: { least_connections: 3 } };
    expect(second.backends).toEqual(['a:1', 'b:1']);
    expect(second.algorithms).toEqual(['p2c', 'round_robin']);
    expect(worker.takeSecond()).toMatchObject({ backends: [], algorithms: [] }); // nothing new since
    const time = clock();
    const primary = new TrafficWindows(time.now);
    primary.finished('p2c', 'a:1', 200, 0.003); // the primary's own, if any, add up with it
    primary.addSecond(second);
    primary.addSecond(second); // a second worker with the same second
    time.advance(1000);
    primary.rotate();
    expect(primary.backend('a:1')).toMatchObject({ lastSecond: 15, rps: 15, errors: 2 });
    expect(primary.backend('b:1').p50Ms!).toBeGreaterThan(400);
    expect(primary.algorithm('p2c').requests).toBe(15);
    expect(primary.reportedDecisions()).toEqual({ least_connections: 6 });
    primary.rotate();
    expect(primary.reportedDecisions()).toEqual({});
  });
});
