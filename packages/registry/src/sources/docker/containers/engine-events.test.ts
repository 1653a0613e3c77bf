import { describe, expect, it } from 'vitest';
import { classifyEvent, signalName } from './engine-events.js';

const container = (Action: string, Attributes: Record<string, string> = {}) => ({ Type: 'container', Action, Actor: { ID: 'c1', Attributes } });

describe('classifyEvent', () => {
  it.each(['stop', 'die', 'pause', 'unpause', 'health_status: healthy', 'health_status: unhealthy', 'restart', 'rename'])('re-inspects on %s', (action) => {
    expect(classifyEvent(container(action))).toEqual({ kind: 'refresh', containerId: 'c1' });
  });

  it('marks a new run on start and forgets on destroy', () => {
    expect(classifyEvent(container('start'))).toEqual({ kind: 'started', containerId: 'c1' });
    expect(classifyEvent(container('destroy'))).toEqual({ kind: 'destroyed', containerId: 'c1' });
  });

  it.each(['15', '9', '2', '3', 'SIGTERM', 'KILL'])('takes kill with signal %s as a stop', (signal) => {
    expect(classifyEvent(container('kill', { signal }))).toEqual({ kind: 'stopping', containerId: 'c1' });
  });

  it('takes kill with a signal that only asks for a reload as no stop, unless it is the STOPSIGNAL', () => {
    expect(classifyEvent(container('kill', { signal: '1' }))).toBeUndefined();
    expect(classifyEvent(container('kill', { signal: '10' }), 'SIGUSR1')).toEqual({ kind: 'stopping', containerId: 'c1' });
  });

  it('reads network connect/disconnect as about the container', () => {
    const event = { Type: 'network', Action: 'disconnect', Actor: { ID: 'n1', Attributes: { container: 'c9', name: 'back' } } };
    expect(classifyEvent(event)).toEqual({ kind: 'network', containerId: 'c9' });
  });

  it('ignores what does not concern backends', () => {
    expect(classifyEvent(container('exec_start: node -e 0'))).toBeUndefined();
    expect(classifyEvent({ Type: 'image', Action: 'pull', Actor: { ID: 'x' } })).toBeUndefined();
    expect(classifyEvent({ Type: 'container', Action: 'start' })).toBeUndefined();
    expect(classifyEvent({ Type: 'network', Action: 'create', Actor: { ID: 'n1', Attributes: {} } })).toBeUndefined();
  });

  it('names signals', () => {
    expect([signalName('15'), signalName('SIGTERM'), signalName('term'), signalName('37')]).toEqual(['TERM', 'TERM', 'TERM', '37']);
  });
});
