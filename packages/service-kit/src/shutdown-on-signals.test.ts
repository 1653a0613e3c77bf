import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { DrainResult } from './drain-http-server.js';
import { type ShutdownStep, type SignalTarget, shutdownOnSignals } from './shutdown-on-signals.js';

/** A stand-in for `process`: signals are emitted by the test, exits are recorded. */
function fakeProcess(): SignalTarget & { emitter: EventEmitter; exits: number[] } {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  return {
    emitter,
    exits,
    on: (signal, listener) => emitter.on(signal, listener),
    off: (signal, listener) => emitter.off(signal, listener),
    exit: (code) => void exits.push(code),
  };
}

function setup(result: Promise<DrainResult>) {
  const target = fakeProcess();
  const steps: ShutdownStep[] = [];
  let drains = 0;
  const stop = shutdownOnSignals({
    drain: () => {
      drains++;
      return result;
    },
    report: (step) => steps.push(step),
    target,
  });
  return { target, steps, drains: () => drains, stop };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('shutdownOnSignals', () => {
  it('drains on SIGTERM and exits 0 once everything finished', async () => {
    const { target, steps, drains } = setup(Promise.resolve({ clean: true }));
    target.emitter.emit('SIGTERM', 'SIGTERM');
    await settle();
    expect(drains()).toBe(1);
    expect(steps).toEqual([{ step: 'draining', signal: 'SIGTERM' }, { step: 'drained' }]);
    expect(target.exits).toEqual([0]);
  });

  it('exits 1 when the deadline cut requests, or the drain failed', async () => {
    const cut = setup(Promise.resolve({ clean: false, cutRequests: 3 }));
    cut.target.emitter.emit('SIGINT', 'SIGINT');
    await settle();
    expect(cut.steps.at(-1)).toEqual({ step: 'cut', cutRequests: 3 });
    expect(cut.target.exits).toEqual([1]);

    const failed = setup(Promise.reject(new Error('pool would not close')));
    failed.target.emitter.emit('SIGTERM', 'SIGTERM');
    await settle();
    expect(failed.steps.at(-1)).toMatchObject({ step: 'failed', error: { message: 'pool would not close' } });
    expect(failed.target.exits).toEqual([1]);
  });

  it('exits 1 at once on a second signal, without draining again', async () => {
    const { target, steps, drains } = setup(new Promise<DrainResult>(() => {}));
    target.emitter.emit('SIGTERM', 'SIGTERM');
    target.emitter.emit('SIGINT', 'SIGINT');
    await settle();
    expect(drains()).toBe(1);
    expect(steps).toEqual([
      { step: 'draining', signal: 'SIGTERM' },
      { step: 'second-signal', signal: 'SIGINT' },
    ]);
    expect(target.exits).toEqual([1]);
  });

  it('stops listening when told to', () => {
    const { target, stop } = setup(Promise.resolve({ clean: true }));
    expect(target.emitter.listenerCount('SIGTERM')).toBe(1);
    stop();
    expect(target.emitter.listenerCount('SIGTERM') + target.emitter.listenerCount('SIGINT')).toBe(0);
  });
});
