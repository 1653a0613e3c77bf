import { describe, expect, it } from 'vitest';
import { InvalidBackendError } from '../../shared/errors.js';
import { StaticSource } from './static-source.js';

const a = { id: 'a:1', host: 'a', port: 1, weight: 1 };
const b = { id: 'b:2', host: 'b', port: 2, weight: 2, pool: 'blue', healthPath: '/ready' };

describe('StaticSource', () => {
  it('serves a frozen copy of its list', async () => {
    const source = new StaticSource([a, b]);
    await source.start();
    expect(source.current()).toEqual([a, b]);
    expect(Object.isFrozen(source.current())).toBe(true);
    expect(Object.isFrozen(source.current()[0])).toBe(true);
    await source.close();
  });

  it('dispatches change on replace only when the list differs', () => {
    const source = new StaticSource([a]);
    let changes = 0;
    source.addEventListener('change', () => changes++);
    source.replace([{ ...a }]);
    expect(changes).toBe(0);
    source.replace([a, b]);
    expect(changes).toBe(1);
    expect(source.current().map((x) => x.id)).toEqual(['a:1', 'b:2']);
  });

  it.each([
    [[a, { ...a }], 'id', 'backend "a:1": id must be unique within the list (it appears twice), got "a:1"'],
    [[{ ...a, port: 70_000 }], 'port', 'an integer from 1 to 65535, got 70000'],
    [[{ ...a, weight: 1001 }], 'weight', 'an integer from 0 to 1000 (0 = drained), got 1001'],
    [[{ ...a, host: '[::1]' }], 'host', 'IPv6 without brackets'],
    [[{ ...a, healthPath: 'ready' }], 'healthPath', 'a path starting with "/"'],
    [[{ ...a, id: '' }], 'id', 'a non-empty string'],
  ])('rejects %j', (list, field, message) => {
    let error: unknown;
    try {
      new StaticSource(list);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidBackendError);
    expect((error as InvalidBackendError).field).toBe(field);
    expect((error as Error).message).toContain(message);
  });

  it('keeps its list when replace is given a bad one', () => {
    const source = new StaticSource([a]);
    expect(() => source.replace([{ ...b, weight: -1 }])).toThrow(InvalidBackendError);
    expect(source.current()).toEqual([a]);
  });
});
